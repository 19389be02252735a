import { DEFAULT_METRICS_HOST, DEFAULT_METRICS_PORT } from '@dbbackup/metrics';

export const HELP_TEXT = `Usage: dbbackup-exporter [options]

Prometheus exporter of the dbbackup catalog: serves /metrics (backup freshness, sizes, verification, restores) and
/health, reading the catalog read-only on every scrape.

Options:
  --port <number>   port to listen on (default: ${DEFAULT_METRICS_PORT}; 0 = any free port)
  --host <address>  address to listen on (default: ${DEFAULT_METRICS_HOST}; 0.0.0.0 for every interface)
  --catalog <path>  the catalog file (default: $DBBACKUP_CATALOG, else ~/.dbbackup/catalog.db)
  --dedup-dir <dir> also report this dedup store's snapshots (repeat for several): dbbackup_dedup_* metrics
  --dedup-key-file <file>
                    the key file of encrypted dedup stores
  -h, --help        show this help
  -V, --version     show the version and commit

Endpoints:
  /metrics  Prometheus text format; dbbackup_catalog_up 0 when the catalog cannot be read
  /health   200 "ok" when the catalog can be read, 503 and the reason otherwise

Examples:
  # serve the default catalog on 127.0.0.1:9399
  $ dbbackup-exporter

  # another catalog, reachable from the Prometheus server
  $ dbbackup-exporter --catalog /var/lib/dbbackup/catalog.db --host 0.0.0.0 --port 9399

SIGTERM or SIGINT stops it gracefully (requests in progress finish) with exit status 0.
`;
