// Apollo Client and urql against a running Quiver:
// `node clients.mjs <endpoint url> <service token>`.
//
// Each client runs a query, a mutation and a subscription (through
// graphql-ws); Apollo sends its queries as automatic persisted queries
// (sha256 hashes, over POST and over GET) and the script checks on the wire
// that the server asked for the text once and then ran the hash alone.
// Prints "ok: <what>" per check; exits 1 on the first failure.
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [endpoint, token] = process.argv.slice(2);
if (!endpoint || !token) {
  console.error('usage: node clients.mjs <endpoint url> <service token>');
  process.exit(2);
}
const wsUrl = endpoint.replace(/^http/, 'ws') + '/ws';
const authorization = `Bearer ${token}`;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const ok = (what) => console.log(`ok: ${what}`);
function check(condition, what, detail) {
  if (!condition) throw new Error(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
}

// A fetch that records what it sent and what came back.
function recordingFetch(log) {
  return async (url, init = {}) => {
    const res = await fetch(url, init);
    const text = await res.clone().text();
    log.push({ method: init.method || 'GET', url: String(url), body: init.body ? JSON.parse(init.body) : null, status: res.status, response: text });
    return res;
  };
}

// Waits for `subscription`'s first event, writing with `write(n)` until it
// comes (the server starts a subscription a moment after the client sends it).
async function firstEvent(subscribe, write, what) {
  let resolve, reject;
  const event = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  const stop = subscribe(resolve, reject);
  try {
    for (let n = 1; n <= 30; n++) {
      await write(n);
      const got = await Promise.race([event, new Promise((r) => setTimeout(() => r(null), 1000))]);
      if (got) return got;
    }
    throw new Error(`${what}: no event arrived`);
  } finally {
    stop();
  }
}

const USERS = (domain) => `query Users { users(filter: { email: { like: "%@${domain}" } }, orderBy: [{ field: EMAIL }]) { nodes { email } } }`;
const CREATE = 'mutation Create($email: String!) { createUser(input: { email: $email }) { id email } }';
const CHANGED = 'subscription Changed { userChanged(events: [INSERT]) { event new { email } } }';

async function apollo() {
  const log = [];
  const wsClient = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: authorization } });
  const http = (useGET) =>
    new PersistedQueryLink({ sha256, useGETForHashedQueries: useGET }).concat(
      new HttpLink({ uri: endpoint, headers: { authorization }, fetch: recordingFetch(log) })
    );
  const isSubscription = ({ query }) => {
    const def = getMainDefinition(query);
    return def.kind === 'OperationDefinition' && def.operation === 'subscription';
  };
  const make = (useGET) =>
    new ApolloClient({ cache: new InMemoryCache(), link: ApolloLink.split(isSubscription, new GraphQLWsLink(wsClient), http(useGET)) });
  const client = make(false);
  try {
    // Mutation.
    const created = await client.mutate({ mutation: gql(CREATE), variables: { email: 'a@apollo.test' } });
    check(created.data?.createUser?.email === 'a@apollo.test', 'apollo mutation', created);
    ok('apollo mutation');

    // Query: the hash alone is unknown, the text follows once.
    log.length = 0;
    const first = await client.query({ query: gql(USERS('apollo.test')), fetchPolicy: 'network-only' });
    check(JSON.stringify(first.data.users.nodes) === JSON.stringify([{ __typename: 'User', email: 'a@apollo.test' }]), 'apollo query', first.data);
    ok('apollo query');
    check(log.length === 2, 'apollo persisted query registration takes two requests', log);
    check(!log[0].body.query && log[0].body.extensions?.persistedQuery?.sha256Hash, 'apollo sends the hash alone first', log[0]);
    check(JSON.parse(log[0].response).errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND', 'the server does not know it yet', log[0]);
    check(log[1].body.query && log[1].body.extensions?.persistedQuery, 'then the text with the hash', log[1]);
    ok('apollo persisted query registered');

    // The same query again: the hash alone runs it.
    log.length = 0;
    const again = await client.query({ query: gql(USERS('apollo.test')), fetchPolicy: 'network-only' });
    check(again.data.users.nodes.length === 1, 'apollo query by hash', again.data);
    check(log.length === 1 && !log[0].body.query && log[0].body.extensions.persistedQuery, 'apollo sent only the hash', log);
    ok('apollo persisted query by hash');

    // Over GET (useGETForHashedQueries): the hash in the URL, no body.
    log.length = 0;
    const getClient = make(true);
    const viaGet = await getClient.query({ query: gql(USERS('apollo.test')), fetchPolicy: 'network-only' });
    check(viaGet.data.users.nodes.length === 1, 'apollo GET query by hash', viaGet.data);
    check(log.length === 1 && log[0].method === 'GET' && log[0].url.includes('extensions=') && !log[0].url.includes('query='), 'apollo used GET with the hash alone', log);
    ok('apollo persisted query over GET');

    // Subscription over graphql-ws.
    const event = await firstEvent(
      (next, error) => {
        const sub = client.subscribe({ query: gql(CHANGED) }).subscribe({ next, error });
        return () => sub.unsubscribe();
      },
      (n) => client.mutate({ mutation: gql(CREATE), variables: { email: `sub${n}@apollo.test` } }),
      'apollo subscription'
    );
    check(event.data?.userChanged?.event === 'INSERT' && /^sub\d+@apollo\.test$/.test(event.data.userChanged.new.email), 'apollo subscription event', event);
    ok('apollo subscription');
  } finally {
    await wsClient.dispose();
  }
}

async function urql() {
  const log = [];
  const wsClient = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: authorization } });
  const client = new Client({
    url: endpoint,
    fetch: recordingFetch(log),
    fetchOptions: { headers: { authorization } },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              return { unsubscribe: wsClient.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
  try {
    const created = await client.mutation(CREATE, { email: 'u@urql.test' }).toPromise();
    check(!created.error && created.data.createUser.email === 'u@urql.test', 'urql mutation', created.error?.message ?? created.data);
    ok('urql mutation');

    log.length = 0;
    const users = await client.query(USERS('urql.test'), {}, { requestPolicy: 'network-only' }).toPromise();
    check(!users.error && users.data.users.nodes[0].email === 'u@urql.test', 'urql query', users.error?.message ?? users.data);
    check(log.length === 1, 'urql sent one request', log);
    ok(`urql query (${log[0].method})`);

    const event = await firstEvent(
      (next, error) => {
        const sub = client.subscription(CHANGED).subscribe((result) => (result.error ? error(result.error) : next(result)));
        return () => sub.unsubscribe();
      },
      (n) => client.mutation(CREATE, { email: `sub${n}@urql.test` }).toPromise(),
      'urql subscription'
    );
    check(event.data?.userChanged?.event === 'INSERT' && /^sub\d+@urql\.test$/.test(event.data.userChanged.new.email), 'urql subscription event', event.data);
    ok('urql subscription');
  } finally {
    await wsClient.dispose();
  }
}

try {
  await apollo();
  await urql();
  console.log('clients: ok');
} catch (e) {
  console.log(`FAILED: ${e.stack || e}`);
  process.exit(1);
}
