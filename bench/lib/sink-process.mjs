// The sink as its own process (`node sink-process.mjs healthy|stalled`), so its parsing does not
// share an event loop with the SDK under test. Announces its ports over IPC (on stdout when run
// by hand); a second server on `controlPort` answers /reset and /stats without being counted.
import http from 'node:http';
import { createSink } from './sink-server.mjs';

const sink = createSink({ mode: process.argv[2] ?? 'healthy' });
const port = await sink.listen();
const control = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/reset') {
    sink.reset();
    res.end('{}');
  } else if (req.url === '/stats') {
    res.end(JSON.stringify(sink.stats()));
  } else {
    res.statusCode = 404;
    res.end('{}');
  }
});
control.listen(0, '127.0.0.1', () => {
  const ports = { port, controlPort: control.address().port };
  if (process.send) process.send(ports);
  else console.log(`sink on http://127.0.0.1:${ports.port}, counters at http://127.0.0.1:${ports.controlPort}/stats`);
});
process.on('disconnect', () => {
  void sink.close();
  process.exit(0);
});
