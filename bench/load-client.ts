/**
 * A load generator, run as its own process so that it does not share the simulators' event loop.
 * Reads a LoadPlan as JSON from argv[2], runs `concurrency` loops over keep-alive connections until `requests`
 * requests were sent, and prints one JSON line: { sent, byStatus, wallMs }.
 */
import { Agent, request } from 'node:http';

export interface LoadTarget {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadPlan {
  targets: LoadTarget[];
  concurrency: number;
  requests: number;
}

function send(agent: Agent, target: LoadTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(target.url, { method: target.method, headers: target.headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

async function run(plan: LoadPlan): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const byStatus: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const loop = async (): Promise<void> => {
    while (next < plan.requests) {
      const target = plan.targets[next++ % plan.targets.length] as LoadTarget;
      const status = await send(agent, target);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, loop));
  const wallMs = performance.now() - started;
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ sent: plan.requests, byStatus, wallMs })}\n`);
}

run(JSON.parse(process.argv[2] ?? '{}') as LoadPlan).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
