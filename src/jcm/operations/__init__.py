"""Running the service: readiness and metrics for monitoring, backups that prove they restore.

``rules`` holds the pure parts (the backup manifest, its checks, the readiness verdict);
``backup`` and ``health`` do the I/O; ``api`` serves ``/healthz``, ``/readyz`` and
``/metrics``; ``cli`` adds ``jcm db backup`` and ``jcm db restore``.
"""
