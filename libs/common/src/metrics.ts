import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * This process's Prometheus metrics (one service per process): Node's defaults, every HTTP
 * request by route template, method and status, and whatever a service adds
 * (`metrics.registry`). Served on the service's own port at GET /metrics, which HAProxy
 * never routes.
 */
class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private defaultsStarted = false;

  /** A gauge read when Prometheus scrapes (a lag, a backlog, a circuit's state). */
  gauge(name: string, help: string, labelNames: string[], read: (set: (labels: Record<string, string>, value: number) => void) => void): void {
    if (this.registry.getSingleMetric(name)) this.registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        read((labels, value) => this.set(labels, value));
      },
    });
  }

  counter(name: string, help: string, labelNames: string[]): Counter {
    const existing = this.registry.getSingleMetric(name);
    return (existing as Counter) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** Counts every answer of `fastify` and serves GET /metrics. */
  instrument(fastify: FastifyInstance, service: string): void {
    if (!this.defaultsStarted) {
      collectDefaultMetrics({ register: this.registry });
      this.registry.setDefaultLabels({ service });
      this.defaultsStarted = true;
    }
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (route !== '/metrics') {
        const labels = { route, method: request.method, status: String(reply.statusCode) };
        this.requests.inc(labels);
        this.latency.observe(labels, reply.elapsedTime / 1000);
      }
      done();
    });
    fastify.get('/metrics', async (_request, reply) => {
      reply.header('Content-Type', this.registry.contentType);
      return this.registry.metrics();
    });
  }
}

export const metrics = new ServiceMetrics();
