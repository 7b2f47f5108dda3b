// Apollo Client against the real server (scripts/client-check starts two instances on one
// database): relay-style pagination walks every offer once; automatic persisted queries over
// POST and GET; GET answers carry caching headers and a 304; and the response cache never
// answers a stale page after a write on the other instance, once the documented bound passed.
//
// usage: node client-check.cjs --a URL --b URL --admin-key KEY [--bound-ms 1000]
"use strict";

const crypto = require("node:crypto");
const assert = require("node:assert/strict");
const { ApolloClient, InMemoryCache, HttpLink, gql } = require("@apollo/client/core");
const { relayStylePagination } = require("@apollo/client/utilities");
const { createPersistedQueryLink } = require("@apollo/client/link/persisted-queries");
const { print } = require("graphql");

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, "")] = argv[i + 1];
  for (const name of ["a", "b", "admin-key"]) {
    if (!out[name]) throw new Error(`missing --${name}`);
  }
  return out;
}

const sha256 = (text) => crypto.createHash("sha256").update(text).digest("hex");

/// A fetch that records what it sent and got, so that the checks can see the wire.
function recordingFetch(log) {
  return async (url, options = {}) => {
    const response = await fetch(url, options);
    const body = typeof options.body === "string" ? JSON.parse(options.body) : null;
    const extensions = new URL(String(url)).searchParams.get("extensions");
    log.push({
      method: options.method || "GET",
      sentQuery: Boolean(body?.query) || new URL(String(url)).searchParams.has("query"),
      sentHash: Boolean(body?.extensions?.persistedQuery) || Boolean(extensions),
      status: response.status,
      cacheControl: response.headers.get("cache-control"),
    });
    return response;
  };
}

function client(uri, { persisted = false, get = false, log = [] } = {}) {
  const http = new HttpLink({ uri, fetch: recordingFetch(log) });
  const link = persisted
    ? createPersistedQueryLink({ sha256, useGETForHashedQueries: get }).concat(http)
    : http;
  return new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: { Query: { fields: { offers: relayStylePagination(["filter", "orderBy"]) } } },
    }),
    defaultOptions: { query: { fetchPolicy: "network-only" } },
  });
}

async function post(uri, body, key) {
  const headers = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(uri, { method: "POST", headers, body: JSON.stringify(body) });
  const json = await response.json();
  if (json.errors) throw new Error(`errors from ${uri}: ${JSON.stringify(json.errors)}`);
  return json.data;
}

/// The response cache hits of an instance, from its /metrics.
async function cacheHits(graphqlUrl) {
  const text = await (await fetch(new URL("/metrics", graphqlUrl))).text();
  const line = text.split("\n").find((l) => l.startsWith("catalogue_response_cache_hits_total "));
  assert.ok(line, "no catalogue_response_cache_hits_total in /metrics");
  return Number(line.split(" ")[1]);
}

const checks = [];
const check = (name, run) => checks.push({ name, run });

check("relayStylePagination walks every page of offers and gets each offer once", async (o) => {
  const { offers } = await post(o.a, { query: "{ offers(first: 1) { totalCount } }" });
  const apollo = client(o.a);
  const query = gql`
    query Offers($first: Int!, $after: String) {
      offers(first: $first, after: $after) {
        edges { cursor node { id title } }
        pageInfo { hasNextPage endCursor }
      }
    }
  `;
  const watch = apollo.watchQuery({ query, variables: { first: 40 } });
  // The first page, from a subscription (as a UI would hold one while it pages).
  let result = await new Promise((resolve, reject) => {
    watch.subscribe({ next: (first) => first.loading || resolve(first), error: reject });
  });
  let pages = 1;
  while (result.data.offers.pageInfo.hasNextPage) {
    await watch.fetchMore({ variables: { after: result.data.offers.pageInfo.endCursor } });
    result = watch.getCurrentResult();
    pages += 1;
    assert.ok(pages < 1000, "the pages never end");
  }
  const ids = result.data.offers.edges.map((edge) => edge.node.id);
  assert.equal(new Set(ids).size, ids.length, "an offer came twice");
  assert.equal(ids.length, offers.totalCount, "not every offer came");
  return `${ids.length} offers in ${pages} pages`;
});

check("automatic persisted queries over POST: a miss, the query sent once, then the hash alone", async (o) => {
  const query = gql`query ApqPost { offers(first: 3) { nodes { id title } } }`;
  const log = [];
  const first = await client(o.a, { persisted: true, log }).query({ query });
  assert.equal(first.data.offers.nodes.length, 3);
  assert.deepEqual(log.map((r) => [r.sentHash, r.sentQuery]), [[true, false], [true, true]]);
  // A fresh client (another app on another phone) on the other instance: the hash alone.
  const later = [];
  const second = await client(o.b, { persisted: true, log: later }).query({ query });
  assert.deepEqual(second.data, first.data);
  assert.deepEqual(later.map((r) => [r.method, r.sentQuery]), [["POST", false]]);
  return `hash ${sha256(print(query)).slice(0, 12)}…`;
});

check("automatic persisted queries over GET: the hash in the URL, public and cacheable", async (o) => {
  const query = gql`query ApqGet { offers(first: 2) { nodes { id } } }`;
  const log = [];
  await client(o.a, { persisted: true, get: true, log }).query({ query });
  assert.deepEqual(log.map((r) => r.method), ["GET", "POST"], "a GET miss, then the query by POST");
  const later = [];
  const again = await client(o.a, { persisted: true, get: true, log: later }).query({ query });
  assert.equal(again.data.offers.nodes.length, 2);
  assert.equal(later.length, 1);
  assert.equal(later[0].method, "GET");
  assert.equal(later[0].sentQuery, false);
  assert.match(later[0].cacheControl || "", /^public, max-age=/);
});

check("a GET query answers with caching headers and 304 on If-None-Match", async (o) => {
  const url = `${o.a}?query=${encodeURIComponent("{ offers(first: 2) { nodes { id } } }")}`;
  const first = await fetch(url, { headers: { accept: "application/json" } });
  assert.equal(first.status, 200);
  assert.match(first.headers.get("cache-control"), /^public, max-age=\d+, stale-while-revalidate=\d+$/);
  const etag = first.headers.get("etag");
  assert.ok(etag, "no ETag");
  const again = await fetch(url, { headers: { accept: "application/json", "if-none-match": etag } });
  assert.equal(again.status, 304);
  return `ETag ${etag}`;
});

check("the response cache answers no stale page once the bound has passed after a write on the other instance", async (o) => {
  // Newest first: the renamed offer stays on the page.
  const page = {
    query: "{ offers(first: 5, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { id title version } } }",
  };
  const before = (await post(o.b, page)).offers.nodes;
  const hits = await cacheHits(o.b);
  assert.deepEqual((await post(o.b, page)).offers.nodes, before);
  assert.equal(await cacheHits(o.b), hits + 1, "the repeated page did not come from B's cache");
  const rounds = 3;
  for (let round = 1; round <= rounds; round += 1) {
    const current = (await post(o.a, page)).offers.nodes[0];
    const title = `Renamed on A, round ${round} (${Date.now()})`;
    await post(
      o.a,
      {
        query:
          "mutation ($id: ID!, $v: Int!, $t: String!) { updateOffer(input: { id: $id, version: $v, title: $t }) { offer { title } } }",
        variables: { id: current.id, v: current.version, t: title },
      },
      o["admin-key"],
    );
    await new Promise((resolve) => setTimeout(resolve, o.boundMs));
    const seen = (await post(o.b, page)).offers.nodes.find((node) => node.id === current.id);
    assert.equal(seen?.title, title, `instance B answered a stale page ${o.boundMs} ms after the write`);
    // Cached again on B for the next round.
    await post(o.b, page);
  }
  return `${rounds} writes on A, each seen on B after ${o.boundMs} ms`;
});

async function main() {
  const parsed = args();
  const o = { ...parsed, boundMs: Number(parsed["bound-ms"] || 1000) };
  let failed = 0;
  for (const { name, run } of checks) {
    const started = Date.now();
    try {
      const note = await run(o);
      console.log(`ok   ${name} (${Date.now() - started} ms)${note ? ` — ${note}` : ""}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name}\n     ${String(error && error.stack ? error.stack : error).replace(/\n/g, "\n     ")}`);
    }
  }
  console.log(`${checks.length - failed} of ${checks.length} client checks passed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.log(`client check crashed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
