"""The conversion service: an HTTP API and a web page over the same
conversion core the CLI runs (converter/convert.py; ``converter serve``).

Modules, one job each: settings (limits from flags and the environment),
app (the FastAPI factory), api_convert / api_jobs / api_ops / web (routes),
context (what routes share), request_bodies (reading request bodies),
schemas (response shapes), download_names (file names and
Content-Disposition), pool (conversion processes, admission, time limit),
counted_conversion (one counted conversion), process_tasks (what runs inside
a conversion process), process_template (what the process template loads
once), jobs (the job runner), job_files (the public protocol for converting
one file of a job, which converter.distributed implements), health, metrics, log,
middleware, errors and i18n (error JSON in Chinese or English), server
(running uvicorn).  The page is templates/index.html with static/.
"""
