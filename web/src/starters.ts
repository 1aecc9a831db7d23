import type { Language } from "../../workers/protocol.ts";

/** The handler a new snippet starts with, per language: small, and showing the contract's main ideas. */
export const STARTERS: Record<Language, string> = {
  python: `def handler(request):
    name = request.query.get("name", "world")
    print(f"greeting {name}")
    return {"hello": name, "method": request.method, "path": request.path}
`,
  typescript: `export default async function handler(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const name = url.searchParams.get("name") ?? "world";
  console.log(\`greeting \${name}\`);
  return Response.json({ hello: name, method: req.method });
}
`,
};
