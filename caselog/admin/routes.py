"""Placeholder blueprint, filled in by its feature."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
