// The authorization server of the OAuth2 tests: npm's oauth2-mock-server 8.2.3 on loopback.
//
// The mock validates nothing, so this launcher adds what the tests need to be realistic:
// - the tokens carry `email` = the `login_hint` of the authorization request (the mail user);
// - refresh tokens are remembered: an unknown or revoked one gets `invalid_grant`, and each
//   refresh rotates it (as Microsoft does); `refresh_token_length` pads them (keyring splitting);
// - array claims (`amr`) are stripped: Dovecot 2.3.19 crashes on them (field notes);
// - a control server (second port) sets lifetimes and faults and lists the token requests.
// It prints one JSON line: {"issuer", "control", "kid", "public_key_pem"}.
import { createPublicKey } from "node:crypto";
import http from "node:http";
import { OAuth2Server } from "oauth2-mock-server";

const server = new OAuth2Server();
const key = await server.issuer.keys.generate("RS256", { kid: "mailscope-test-key" });
await server.start(0, "127.0.0.1");
server.issuer.url = `http://127.0.0.1:${server.address().port}`;

const DEFAULTS = {
  access_ttl: 3600, // the access token's exp, seconds from now
  advertised_ttl: null, // expires_in in the response (default: access_ttl)
  access_claims: {}, // claims set on the next access tokens (e.g. a wrong iss)
  id_claims: {}, // claims set on the next id tokens (e.g. a wrong aud)
  refresh_token_length: 0, // pad refresh tokens to this many characters
  omit_id_token: false,
};
let state = { ...DEFAULTS };
const hints = new Map(); // code -> login_hint
const refreshTokens = new Map(); // refresh token -> email
const requests = []; // what the token endpoint was asked, for the tests to inspect
const secrets = new Set(); // every code, verifier and token seen: the canary test's list

server.service.on("beforeAuthorizeRedirect", (redirect, req) => {
  const code = redirect.url.searchParams.get("code");
  if (code) hints.set(code, String(req.query.login_hint ?? "johndoe@example.test"));
  if (code) secrets.add(code);
});

function emailOf(body) {
  if (body.grant_type === "authorization_code") return hints.get(body.code);
  if (body.grant_type === "refresh_token") return refreshTokens.get(body.refresh_token);
  return undefined;
}

server.service.on("beforeTokenSigning", (token, req) => {
  const payload = token.payload;
  delete payload.amr;
  const email = emailOf(req.body);
  if (email) payload.email = email;
  if ("aud" in payload) {
    Object.assign(payload, state.id_claims);
  } else {
    payload.exp = payload.iat + state.access_ttl;
    Object.assign(payload, state.access_claims);
  }
});

let failNext = null;

server.service.on("beforeResponse", (response, req) => {
  const body = req.body;
  requests.push({
    grant_type: body.grant_type,
    client_id: body.client_id ?? null,
    redirect_uri: body.redirect_uri ?? null,
    has_code: "code" in body,
    has_verifier: "code_verifier" in body,
  });
  const email = emailOf(body);
  for (const name of ["code", "code_verifier", "refresh_token"]) {
    if (typeof body[name] === "string") secrets.add(body[name]);
  }
  if (body.grant_type === "refresh_token") {
    if (email === undefined) {
      response.statusCode = 400;
      response.body = { error: "invalid_grant", error_description: "AADSTS70000: revoked" };
      return;
    }
    refreshTokens.delete(body.refresh_token);
  }
  if (failNext !== null) {
    response.statusCode = failNext.status;
    response.body = failNext.body;
    failNext = null;
    return;
  }
  if (response.statusCode !== 200) return;
  if (state.advertised_ttl !== null) response.body.expires_in = state.advertised_ttl;
  else response.body.expires_in = state.access_ttl;
  if (state.omit_id_token) delete response.body.id_token;
  if (response.body.refresh_token) {
    let fresh = response.body.refresh_token;
    while (fresh.length < state.refresh_token_length) fresh += "." + fresh;
    if (state.refresh_token_length) fresh = fresh.slice(0, state.refresh_token_length);
    response.body.refresh_token = fresh;
    refreshTokens.set(fresh, email ?? "johndoe@example.test");
    secrets.add(fresh);
  }
  for (const name of ["access_token", "id_token"]) {
    if (typeof response.body[name] === "string") secrets.add(response.body[name]);
  }
});

async function readJson(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const control = http.createServer(async (req, res) => {
  const reply = (status, value) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  try {
    if (req.method === "POST" && req.url === "/reset") {
      state = { ...DEFAULTS };
      requests.length = 0;
      return reply(200, state);
    }
    if (req.method === "POST" && req.url === "/fail") {
      failNext = await readJson(req); // {status, body}: the next token response, verbatim
      return reply(200, {});
    }
    if (req.method === "POST" && req.url === "/set") {
      state = { ...state, ...(await readJson(req)) };
      return reply(200, state);
    }
    if (req.method === "POST" && req.url === "/revoke") {
      refreshTokens.clear();
      return reply(200, {});
    }
    if (req.method === "GET" && req.url === "/requests") return reply(200, requests);
    if (req.method === "GET" && req.url === "/secrets") return reply(200, [...secrets]);
    if (req.method === "POST" && req.url === "/token") {
      // A token signed by the server's key outside any flow (Dovecot's own tests).
      const claims = await readJson(req);
      const token = await server.issuer.buildToken({
        expiresIn: claims.ttl ?? 3600,
        scopesOrTransform: (_header, payload) => {
          delete claims.ttl;
          Object.assign(payload, claims);
        },
      });
      return reply(200, { token });
    }
    reply(404, {});
  } catch (error) {
    reply(500, { error: String(error) });
  }
});
control.listen(0, "127.0.0.1", () => {
  const jwk = key;
  const pem = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" })
    .export({ type: "spki", format: "pem" });
  process.stdout.write(
    JSON.stringify({
      issuer: server.issuer.url,
      control: `http://127.0.0.1:${control.address().port}`,
      kid: jwk.kid,
      public_key_pem: pem,
    }) + "\n",
  );
});

process.stdin.on("end", () => process.exit(0)); // the test process went away: stop too
process.stdin.resume();
