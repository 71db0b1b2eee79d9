// GET /functions/v1/health: the smoke test's first call. Deployed with --no-verify-jwt (verifyJwt: false)
// because smoke tests and uptime monitors call it without a user session. It returns no data.
Deno.serve(() => Response.json({ ok: true, time: new Date().toISOString() }));
