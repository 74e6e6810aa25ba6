// An OpenID Connect provider for the tests: oidc-provider (OpenID Certified), on a loopback port, with the people of a
// test run, their clients and signing keys that can be rotated while it runs. The tests start it (OidcProvider.cs) and
// read its issuer from the first line it prints: {"issuer":"http://127.0.0.1:<port>"}.
//
// What the provider does is oidc-provider's: discovery, the authorization code flow with PKCE, max_age, prompt=login,
// acr_values, JWT access tokens for the service's audience (resource indicators), RP-initiated logout. This file adds
// what every deployment adds: the people (findAccount), the sign-in form (interactions) and the claims of the service.
// Under /control/ the tests change what an operator would change: register a client, rotate and retire keys, and read
// what the provider was asked and what it issued.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { URLSearchParams } from 'node:url';
import Provider, { errors } from 'oidc-provider';

const host = process.env.OIDC_HOST ?? '127.0.0.1';
const port = Number(process.env.OIDC_PORT ?? 0);

/** The audience of the service's access tokens, and the resource indicator that asks for it. */
const SERVICE_AUDIENCE = 'bund-laender-koordination';
const SERVICE_RESOURCE = 'urn:bund-laender-koordination';
/** Another service of the same provider: its tokens must not open this one. */
const OTHER_RESOURCE = 'urn:another-service';

const LOW = 'urn:bund-laender:loa:low';
const SUBSTANTIAL = 'urn:bund-laender:loa:substantial';

/**
 * The people of a test run. Each signs in with user name and password; the one-time code is the second factor that
 * makes the sign-in "substantial" (acr). The provider's role and land claims are what an identity provider may say;
 * the service takes roles from them but never a Land (that comes from mandates).
 */
const people = [
  { login: 'anna.berger', sub: 'f3b1c7e2-by-delegate', name: 'Anna Berger', role: ['representative'], land: 'DE-BY' },
  { login: 'lea.schulte', sub: '0d9a4e55-by-chair', name: 'Lea Schulte', role: ['chair'], land: 'DE-BY' },
  { login: 'paul.neumann', sub: '7c2f8b10-observer', name: 'Paul Neumann', role: ['observer'] },
  { login: 'karin.vogt', sub: 'a41e6d93-auditor', name: 'Karin Vogt', role: ['auditor'] },
  { login: 'verwaltung.a', sub: '5be0f2c8-admin-a', name: 'Verwaltung A', role: ['admin'] },
  { login: 'verwaltung.b', sub: '9e17a3d4-admin-b', name: 'Verwaltung B', role: ['admin'] },
].map((person) => ({ ...person, password: person.login, code: '246810' }));

const bySub = new Map(people.map((person) => [person.sub, person]));
const byLogin = new Map(people.map((person) => [person.login, person]));

/** Signing keys, the one that signs first. Rotation puts a new one in front and keeps the old ones published. */
let keys = [newKey()];

/** Clients: the tests' own (registered here) and those the tests register through /control/clients. */
const clients = new Map();
const tokenLifetimes = new Map();
for (const client of [
  { client_id: 'blk-tests', redirect_uris: ['http://127.0.0.1/callback'] },
  { client_id: 'blk-tests-short', redirect_uris: ['http://127.0.0.1/callback'], access_token_ttl: 2 },
]) register(client);

/** What the provider was asked (pushed and plain authorization requests, end-session requests) and what it issued (access tokens). */
const seen = { pushed: [], authorizations: [], endSessions: [], accessTokens: [] };

function newKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
}

function register({ access_token_ttl: ttl, ...metadata }) {
  clients.set(metadata.client_id, {
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...metadata,
  });
  if (ttl) tokenLifetimes.set(metadata.client_id, ttl);
}

const server = http.createServer();
await new Promise((resolve) => server.listen(port, host, resolve));
const issuer = `http://${host}:${server.address().port}`;
const cookieKeys = [crypto.randomBytes(32).toString('base64url')];

function configuration() {
  return {
    clients: [...clients.values()],
    jwks: { keys },
    cookies: { keys: cookieKeys },
    scopes: ['openid', 'profile', SERVICE_AUDIENCE],
    claims: { openid: ['sub'], profile: ['name'], [SERVICE_AUDIENCE]: ['role', 'land'] },
    acrValues: [LOW, SUBSTANTIAL],
    // The ID token carries the person's claims, as Keycloak's do; the pages read the name from it.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(ctx, sub) {
      const person = bySub.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => claimsOf(person) };
    },
    // The access token for the service is a JWT (RFC 9068) with the person's claims and how they signed in.
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const person = bySub.get(token.accountId);
      const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
      const { sub, ...claims } = person ? claimsOf(person) : {};
      return { ...claims, auth_time: source?.authTime, acr: source?.acr };
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => SERVICE_RESOURCE,
        useGrantedResource: async () => true,
        async getResourceServerInfo(ctx, resource, client) {
          const lifetime = tokenLifetimes.get(client.clientId) ?? 3600;
          if (resource === SERVICE_RESOURCE)
            return { audience: SERVICE_AUDIENCE, scope: SERVICE_AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: lifetime };
          if (resource === OTHER_RESOURCE)
            return { audience: 'another-service', scope: '', accessTokenFormat: 'jwt', accessTokenTTL: lifetime };
          throw new errors.InvalidTarget();
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Fehler', `<h1>Fehler</h1><pre>${escape(JSON.stringify(out, null, 2))}</pre>`);
    },
  };
}

function claimsOf(person) {
  return { sub: person.sub, name: person.name, role: person.role, ...(person.land ? { land: person.land } : {}) };
}

let provider;
let handle;
build();

/** A provider with the keys and clients of now; sessions and grants live on (oidc-provider's memory adapter). */
function build() {
  provider = new Provider(issuer, configuration());
  provider.use(record);
  provider.use(interactions);
  handle = provider.callback();
}

async function record(ctx, next) {
  await next();
  // The parameters as the provider took them: of a pushed authorization request, or of one that refers to it.
  const params = Object.fromEntries(Object.entries(ctx.oidc?.params ?? {}).filter(([, value]) => value !== undefined));
  if (ctx.path === '/request' && ctx.status === 201) seen.pushed.push(params);
  if (ctx.path === '/auth') seen.authorizations.push(params);
  if (ctx.path.startsWith('/session/end')) seen.endSessions.push({ path: ctx.path, ...params });
  if (ctx.path === '/token' && ctx.body?.access_token) {
    const [header, payload] = ctx.body.access_token.split('.').slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    seen.accessTokens.push({ kid: header.kid, ...payload });
  }
}

/** The sign-in form of the provider: user name, password and, for a substantial sign-in, the one-time code. */
async function interactions(ctx, next) {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET' && details.prompt.name === 'login') {
    ctx.type = 'html';
    ctx.body = loginPage(details);
    return undefined;
  }
  if (ctx.method === 'GET' && details.prompt.name === 'consent') {
    // The service's own clients need no consent: the grant covers what they asked for.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    return finish(ctx, { consent: { grantId } }, true);
  }
  if (ctx.method === 'POST' && match[2]) {
    const form = new URLSearchParams(await body(ctx.req));
    const person = byLogin.get(form.get('login') ?? '');
    if (!person || form.get('password') !== person.password) {
      ctx.type = 'html';
      ctx.body = loginPage(details, 'Benutzername oder Passwort ist falsch.');
      return undefined;
    }
    const strong = form.get('code') === person.code;
    return finish(ctx, { login: { accountId: person.sub, acr: strong ? SUBSTANTIAL : LOW, amr: strong ? ['pwd', 'otp'] : ['pwd'] } }, false);
  }
  return next();
}

/** Back to the authorization; a consent keeps the sign-in of the same request (so max_age=0 is satisfied once). */
async function finish(ctx, result, merge) {
  const target = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  ctx.status = 303;
  ctx.redirect(target);
}

function body(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { text += chunk; });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function loginPage(details, error) {
  const asked = [
    details.prompt.details.max_age !== undefined ? `max_age=${details.prompt.details.max_age}` : null,
    details.params.acr_values ? `acr_values=${details.params.acr_values}` : null,
  ].filter(Boolean).join(', ');
  return page('Anmeldung', `
    <h1>Anmeldung beim Identitätsdienst</h1>
    ${asked ? `<p data-testid="asked">Verlangt: ${escape(asked)}</p>` : ''}
    ${error ? `<p role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${details.uid}/login">
      <label>Benutzername <input name="login" autocomplete="username" autofocus></label>
      <label>Passwort <input name="password" type="password" autocomplete="current-password"></label>
      <label>Einmalcode <input name="code" inputmode="numeric" autocomplete="one-time-code"></label>
      <button type="submit">Anmelden</button>
    </form>`);
}

async function logoutSource(ctx, form) {
  ctx.body = page('Abmelden', `<h1>Beim Identitätsdienst abmelden?</h1>${form}
    <button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, abmelden</button>
    <button type="submit" form="op.logoutForm">Nein</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Abgemeldet', '<h1>Abgemeldet</h1>');
}

function page(title, content) {
  return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${content}</main></body></html>`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What an operator changes while the provider runs, and what the tests read back. */
async function control(req, res) {
  const reply = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const path = new URL(req.url, issuer).pathname;
  if (req.method === 'POST' && path === '/control/clients') {
    for (const client of JSON.parse(await body(req))) register(client);
    build();
    return reply(200, { clients: [...clients.keys()] });
  }
  if (req.method === 'POST' && path === '/control/keys/rotate') {
    keys = [newKey(), ...keys];
    build();
    return reply(200, { kids: keys.map((key) => key.kid) });
  }
  if (req.method === 'POST' && path === '/control/keys/retire') {
    keys = keys.slice(0, 1);
    build();
    return reply(200, { kids: keys.map((key) => key.kid) });
  }
  if (req.method === 'GET' && path === '/control/seen') return reply(200, seen);
  return reply(404, { error: 'unknown control request' });
}

server.on('request', (req, res) => {
  if (req.url.startsWith('/control/')) {
    control(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  handle(req, res);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
