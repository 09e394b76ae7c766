"""gunicorn's settings for the portal, the same in compose, the image and CI's production run."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# As long as the proxy waits for an answer (proxy_read_timeout in deploy/nginx.conf): a request
# the proxy still waits for is not killed first, nor one it gave up on left running long.
timeout = 120
graceful_timeout = 30
limit_request_line = 8190
accesslog = "-"
