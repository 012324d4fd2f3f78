"""Conversions as Celery tasks over a Redis broker, for when one machine is
not enough.  Without a broker nothing here is used (the local pool is the
default); with one, `converter worker` runs conversions and `converter batch
--broker` / `converter serve --broker` send work to the queue."""
