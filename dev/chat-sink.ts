/** A chat webhook on 127.0.0.1 that keeps every JSON body posted to it: where tests read chat alerts from. */
import { createServer } from 'node:http';

export interface ChatSink {
  url: string;
  posts: { text?: string }[];
  close(): Promise<void>;
}

export async function startChatSink(): Promise<ChatSink> {
  const posts: { text?: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: string });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        response.writeHead(400).end('invalid JSON');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hooks/alerts`, posts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
