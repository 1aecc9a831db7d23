// The `ENV_KEY` secret (`wrangler secret put ENV_KEY`; `.dev.vars` locally): 32 random bytes,
// base64, that encrypt snippets' secrets at rest. Optional: without it secrets cannot be set.
interface __BaseEnv_Env {
  ENV_KEY?: string;
}
