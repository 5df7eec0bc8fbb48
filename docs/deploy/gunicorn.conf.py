"""gunicorn settings for Mesa TIC: `gunicorn -c docs/deploy/gunicorn.conf.py wsgi:app`.

Run from the checkout (templates/ is read from there). Each value can come from the environment,
so one file serves every web host. tests/deploy/test_gunicorn.py starts gunicorn with this file.
"""

import multiprocessing
import os

# nginx talks to this address; on several hosts, bind the host's private address instead.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: requests are short and database-bound; 2 per CPU plus one is gunicorn's advice.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The monthly report's DOCX/XLSX at one million tickets takes well under a second; 60 s leaves
# room for a slow import page without letting a stuck worker live forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then: bounded memory, and a restart never hits every worker at once.
max_requests = 2000
max_requests_jitter = 200
# Each worker opens its own database connections after the fork (never share a pool).
preload_app = False
# gunicorn itself trusts X-Forwarded-Proto only from these addresses (the nginx in front);
# the app trusts X-Forwarded-For through PROXY_FIX_X_FOR (see docs/deploy.md).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"  # to the journal
errorlog = "-"
proc_name = "mesatic-web"
