FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=traam.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 traam
WORKDIR /app
COPY pyproject.toml README.md ./
COPY traam traam
COPY candidatures candidatures
COPY selection selection
COPY productions productions
COPY bilans bilans
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings that import: throwaway values at build time only.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput
USER traam
EXPOSE 8000
CMD ["gunicorn", "traam.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
