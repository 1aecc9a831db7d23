import type { Language } from "../../workers/runtime-protocol.ts";

/**
 * The handler a new snippet starts with, per language: small, and showing the contract's main ideas.
 * Lines stay within 60 characters, so the code fits the editor at 1280 px wide without scrolling.
 */
export const STARTERS: Record<Language, string> = {
  python: `def handler(request):
    name = request.query.get("name", "world")
    # Variables and secrets from the Environment panel
    # (an API key, say) are in request.env
    greeting = request.env.get("GREETING", "Hello")
    print(f"greeting {name}")
    return {
        "message": f"{greeting}, {name}!",
        "method": request.method,
        "path": request.path,
    }
`,
  typescript: `export default async function handler(
  req: Request,
  // variables and secrets from the Environment panel
  env: Record<string, string>,
): Promise<Response> {
  const url = new URL(req.url);
  const name = url.searchParams.get("name") ?? "world";
  const greeting = env.GREETING ?? "Hello";
  console.log(\`greeting \${name}\`);
  return Response.json({
    message: \`\${greeting}, \${name}!\`,
    method: req.method,
  });
}
`,
};
