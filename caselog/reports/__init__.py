"""Reports and exports for people outside the app: PDFs that can be verified, CSV and XLSX."""
