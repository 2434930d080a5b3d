"""The Flask app: HTML pages, JSON API, embeddable search box."""
