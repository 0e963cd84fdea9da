"""Placeholder blueprint, filled in by its feature."""

from flask import Blueprint

bp = Blueprint("programs", __name__, url_prefix="/programs")
