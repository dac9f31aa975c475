// @supabase/supabase-js 2.119.1 against Quiver's Supabase Realtime endpoint.
// Run with `node --experimental-websocket supabase.mjs <scenario>` (Node 20);
// settings come from the environment (see tests/integration/supabase_realtime.rs).
// Writes go through Quiver's GraphQL API with the service token. Prints one
// JSON object (what the clients saw) on the last line.
import { createClient } from '@supabase/supabase-js'

const env = process.env
const scenario = process.argv[2]
const log = (...a) => console.error(new Date().toISOString(), ...a)

/** Resolves when `check()` holds (polled), or fails naming `what`. */
async function until(what, check, ms = 20000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A GraphQL request to the studio app as the service role. */
async function gql(query, variables = {}) {
  const r = await fetch(`${env.BASE}/graphql/studio`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env.SERVICE_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  })
  const body = await r.json()
  if (body.errors) throw new Error(JSON.stringify(body.errors))
  return body.data
}
const create = (id, userId, name) =>
  gql('mutation($i: WorkbenchCreateInput!) { createWorkbench(input: $i) { id } }', { i: { id, userId, name } })
const rename = (id, name) => gql('mutation($id: UUID!, $n: String!) { updateWorkbench(id: $id, patch: { name: $n }) { id } }', { id, n: name })
const remove = (id) => gql('mutation($id: UUID!) { deleteWorkbench(id: $id) { id } }', { id })

/** A supabase-js client whose token is whatever `auth.token` holds. */
function client(base, token, options = {}) {
  const auth = { token }
  const supabase = createClient(base, env.ANON_KEY, {
    accessToken: async () => auth.token,
    realtime: { vsn: env.VSN || '2.0.0', ...options },
  })
  return { supabase, auth }
}

/** Subscribes; resolves once SUBSCRIBED (and, with bindings, "Subscribed to PostgreSQL"). */
async function subscribe(channel, system, postgres = true) {
  let status = null
  channel.subscribe((s, err) => {
    status = s
    if (err) log('subscribe', s, err.message)
  })
  await until(`SUBSCRIBED on ${channel.topic}`, () => status === 'SUBSCRIBED' || status === 'CHANNEL_ERROR')
  if (status !== 'SUBSCRIBED') throw new Error(`${channel.topic}: ${status}`)
  if (postgres) await until('Subscribed to PostgreSQL', () => system.some((m) => m.status === 'ok'))
  return () => status
}

const short = (p) => ({ type: p.eventType, new: p.new.name ?? null, old: p.old.id ?? null })

/** The ten-line wrapper of the README: resume a binding from its last cursor on every rejoin. */
function onResumable(channel, filter, callback) {
  channel.on('postgres_changes', filter, callback)
  channel.socket.socketAdapter.onMessage(({ topic, event, payload }) => {
    if (topic !== channel.topic || event !== 'postgres_changes') return
    const bind = channel.bindings.postgres_changes?.find((b) => b.filter === filter)
    if (bind && payload.ids.includes(bind.id)) filter.after = payload.data.cursor
  })
  return channel
}

const scenarios = {
  // INSERT/UPDATE/DELETE with filters; row rules for two users.
  async changes() {
    const [alice, bob] = [env.ALICE, env.BOB]
    const a = client(`${env.BASE}/studio`, env.ALICE_TOKEN)
    const b = client(env.BASE, env.BOB_TOKEN) // no prefix: the app comes from `schema`
    await a.supabase.realtime.setAuth()
    await b.supabase.realtime.setAuth()
    const seen = { all: [], ins: [], upd: [], del: [], bob: [] }
    const sys = { a: [], b: [] }
    const [w1, w2, w3, wl, bl] = Array.from({ length: 5 }, () => crypto.randomUUID())
    const t = { schema: 'studio', table: 'workbenches' }
    const ca = a.supabase
      .channel('wb-alice')
      .on('postgres_changes', { event: '*', ...t }, (p) => seen.all.push(short(p)))
      .on('postgres_changes', { event: 'INSERT', ...t, filter: 'name=ilike.KEEP%' }, (p) => seen.ins.push(short(p)))
      .on('postgres_changes', { event: 'UPDATE', ...t, filter: 'name=eq.renamed,name=not.like.x%' }, (p) => seen.upd.push(short(p)))
      .on('postgres_changes', { event: 'DELETE', ...t, filter: `id=in.(${w1},${wl})` }, (p) => seen.del.push(short(p)))
      .on('system', {}, (m) => sys.a.push(m))
    const cb = b.supabase
      .channel('wb-bob')
      .on('postgres_changes', { event: '*', ...t }, (p) => seen.bob.push(short(p)))
      .on('system', {}, (m) => sys.b.push(m))
    await subscribe(ca, sys.a)
    await subscribe(cb, sys.b)
    await create(w1, alice, 'keep-1')
    await create(w2, alice, 'drop-2')
    await create(w3, bob, 'keep-3')
    await rename(w1, 'renamed')
    await rename(w2, 'xrenamed')
    await remove(w1)
    await remove(w2)
    // Markers: the last change each binding can see.
    await create(wl, alice, 'keep-last')
    await rename(wl, 'renamed')
    await remove(wl)
    await create(bl, bob, 'bob-last')
    await until('the last changes', () =>
      seen.all.length >= 9 && seen.ins.length >= 2 && seen.upd.length >= 2 && seen.del.length >= 2 && seen.bob.length >= 2)
    const ids = { [w1]: 'w1', [w2]: 'w2', [wl]: 'wl' }
    for (const list of Object.values(seen)) for (const e of list) e.old = ids[e.old] ?? e.old
    console.log(JSON.stringify({ seen, system: sys.a.map((m) => m.message) }))
    process.exit(0)
  },

  // Broadcast with self and ack; presence across two instances.
  async rooms() {
    const a = client(`${env.BASE}/studio`, env.ALICE_TOKEN)
    const b = client(`${env.BASE2}/studio`, env.BOB_TOKEN)
    await a.supabase.realtime.setAuth()
    await b.supabase.realtime.setAuth()
    const got = { a: [], b: [] }
    const events = { a: [], b: [] }
    const ca = a.supabase
      .channel(`team:${env.TEAM}`, { config: { broadcast: { self: true, ack: true }, presence: { key: 'alice' } } })
      .on('broadcast', { event: 'msg' }, (m) => got.a.push(m.payload.n))
      .on('presence', { event: 'join' }, (e) => events.a.push(`join ${e.key}`))
      .on('presence', { event: 'leave' }, (e) => events.a.push(`leave ${e.key}`))
    const cb = b.supabase
      .channel(`team:${env.TEAM}`, { config: { broadcast: { self: false }, presence: { key: 'bob' } } })
      .on('broadcast', { event: 'msg' }, (m) => got.b.push(m.payload.n))
      .on('presence', { event: 'sync' }, () => {})
    await subscribe(ca, [], false)
    await subscribe(cb, [], false)
    const tracked = [await ca.track({ name: 'alice' }), await cb.track({ name: 'bob' })]
    const keys = (c) => Object.keys(c.presenceState()).sort().join(',')
    await until('both present on both instances', () => keys(ca) === 'alice,bob' && keys(cb) === 'alice,bob')
    const state = cb.presenceState().alice.map((m) => m.name)
    const acks = [await ca.send({ type: 'broadcast', event: 'msg', payload: { n: 1 } })]
    acks.push(await cb.send({ type: 'broadcast', event: 'msg', payload: { n: 2 } }))
    await until('alice has 1 and 2', () => got.a.length >= 2)
    acks.push(await ca.send({ type: 'broadcast', event: 'msg', payload: { n: 3 } }))
    await until('bob has 3', () => got.b.includes(3))
    await until('alice has 3', () => got.a.includes(3))
    await b.supabase.removeChannel(cb)
    await until('bob left', () => keys(ca) === 'alice')
    console.log(JSON.stringify({ tracked, state, acks, got: { a: got.a.sort(), b: got.b }, events: events.a, after: keys(ca) }))
    process.exit(0)
  },

  // access_token refresh (anon → alice) and expiry.
  async tokens() {
    const a = client(`${env.BASE}/studio`, env.ANON_KEY)
    await a.supabase.realtime.setAuth()
    const seen = []
    const sys = []
    let closed = false
    const ch = a.supabase
      .channel('tok')
      .on('postgres_changes', { event: 'INSERT', schema: 'studio', table: 'workbenches' }, (p) => seen.push(p.new.name))
      .on('system', {}, (m) => sys.push(m))
    const status = await subscribe(ch, sys)
    await create(crypto.randomUUID(), env.ALICE, 'while-anon')
    a.auth.token = env.ALICE_TOKEN
    await a.supabase.realtime.setAuth()
    await until('re-subscribed', () => sys.filter((m) => m.status === 'ok').length >= 2)
    await create(crypto.randomUUID(), env.ALICE, 'as-alice')
    await until('both inserts', () => seen.length >= 2)
    a.auth.token = env.SHORT_TOKEN
    await a.supabase.realtime.setAuth()
    await until('the channel closed', () => status() === 'CLOSED', 30000)
    closed = true
    console.log(JSON.stringify({ seen, system: sys.map((m) => `${m.extension}/${m.status}: ${m.message}`), closed }))
    process.exit(0)
  },

  // Reconnect with replay: the socket drops, changes committed meanwhile arrive after the rejoin, in order.
  async replay() {
    const sockets = []
    const Tracked = class extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols)
        sockets.push(this)
      }
    }
    const a = client(`${env.BASE}/studio`, env.ALICE_TOKEN, { transport: Tracked })
    await a.supabase.realtime.setAuth()
    const seen = []
    const sys = []
    const ch = a.supabase.channel('replay').on('system', {}, (m) => sys.push(m))
    onResumable(ch, { event: '*', schema: 'studio', table: 'workbenches' }, (p) => seen.push(`${p.eventType} ${p.new.name ?? ''}`))
    // The same binding without the wrapper, for comparison (not asserted).
    const control = []
    const csys = []
    const cc = a.supabase
      .channel('control')
      .on('postgres_changes', { event: '*', schema: 'studio', table: 'workbenches' }, (p) => control.push(p.eventType))
      .on('system', {}, (m) => csys.push(m))
    await subscribe(ch, sys)
    await subscribe(cc, csys)
    const w = crypto.randomUUID()
    await create(w, env.ALICE, 'one')
    await until('the first change', () => seen.length === 1)
    const dropped = new Promise((r) => sockets[0].addEventListener('close', r))
    sockets[0].close()
    await dropped
    await rename(w, 'two')
    await rename(w, 'three')
    await remove(w)
    await until('a new socket', () => sockets.length > 1)
    await until('every change', () => seen.length >= 4)
    await new Promise((r) => setTimeout(r, 300))
    log('without the wrapper:', control.join(' '))
    console.log(JSON.stringify({ seen, sockets: sockets.length }))
    process.exit(0)
  },
}

scenarios[scenario]().catch((e) => {
  console.error(e)
  process.exit(1)
})
