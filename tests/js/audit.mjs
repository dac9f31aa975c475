// graphql-http's server audits (GraphQL-over-HTTP spec conformance) against a
// running Quiver endpoint: `node audit.mjs http://127.0.0.1:8080/graphql/studio`.
// Prints one line per audit ("ok", "notice", "warn" or "error" with the reason)
// and a summary line; exits 1 when any audit warns or errs.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <endpoint url>');
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  if (result.status === 'ok') {
    console.log(`ok     ${result.id} ${result.name}`);
  } else {
    let body = '';
    try {
      body = await result.response.text();
    } catch {
      // the audit may have read the body already
    }
    console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}: ${result.reason} ${body}`);
  }
}
console.log(`audits: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`);
process.exit(counts.warn + counts.error > 0 ? 1 : 0);
