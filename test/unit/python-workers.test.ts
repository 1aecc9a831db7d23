/**
 * Python conveniences beyond the shared fixtures, on real Pyodide. Redirects are here rather than
 * in a fixture: the edge and e2e suites call endpoints with `fetch`, which follows them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadPyodide } from "pyodide";
import { describe, expect, it } from "vitest";
import { PythonRuntime } from "../../workers/python/runtime.ts";
import type { WireRequest } from "../../workers/runtime-protocol.ts";
import { getRequest, responseJson } from "./request.ts";

const runtime = new PythonRuntime(() => loadPyodide());

function post(contentType: string, body: string | Uint8Array): WireRequest {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return {
    ...getRequest("/form"),
    method: "POST",
    headers: [["content-type", contentType]],
    body: bytes,
  };
}

describe("Response helpers", () => {
  it("redirect: the status, a location header and no body", async () => {
    const code =
      "from fnpad import Response\n\ndef handler(request):\n    return Response.redirect(f'/login?next={request.path}', status=303)\n";
    const { response } = await runtime.run(code, getRequest("/private"));
    expect(response.status).toBe(303);
    expect(response.headers).toEqual([["location", "/login?next=/private"]]);
    expect(response.body.byteLength).toBe(0);
  });

  it("redirect refuses a status that is not a redirect", async () => {
    const code =
      "from workers import Response\n\ndef handler(request):\n    return Response.redirect('/x', 200)\n";
    const result = await runtime.run(code, getRequest());
    expect(result.error).toMatchObject({ type: "ValueError", line: 4 });
  });

  it("json: any value, a JSON content type even over the caller's", async () => {
    const code =
      "from workers import Response\n\ndef handler(request):\n    return Response.json('text', headers={'Content-Type': 'text/plain', 'x-a': 'b'})\n";
    const { response } = await runtime.run(code, getRequest());
    expect(response.headers).toEqual([
      ["content-type", "application/json"],
      ["x-a", "b"],
    ]);
    expect(responseJson(response.body)).toBe("text");
  });
});

describe("request conveniences", () => {
  it("Workers' awaitable readers: bytes(), array_buffer(), form_data(), a JSON string", async () => {
    const code = `async def handler(request):
    raw = await request.bytes()
    same = await request.arrayBuffer()
    form = await request.form_data()
    return {"bytes": list(raw[:3]), "same": raw == same == request.body, "kind": type(raw).__name__, "a": form["a"]}
`;
    const { response } = await runtime.run(
      code,
      post("application/x-www-form-urlencoded", "a=1&b=2"),
    );
    expect(responseJson(response.body)).toEqual({
      bytes: [97, 61, 49],
      same: true,
      kind: "bytes",
      a: "1",
    });
    const scalar = "async def handler(request):\n    return {'got': await request.json()}\n";
    const { response: echoed } = await runtime.run(scalar, post("application/json", '"hi"'));
    expect(responseJson(echoed.body)).toEqual({ got: "hi" });
  });

  it("multipart form fields, files as bytes", async () => {
    const body =
      '--B\r\ncontent-disposition: form-data; name="title"\r\n\r\nHello\r\n--B\r\ncontent-disposition: form-data; name="file"; filename="a.bin"\r\n\r\n\x00\x01\r\n--B--\r\n';
    const code =
      "async def handler(request):\n    form = await request.form()\n    return {'title': form['title'], 'file': list(form['file'])}\n";
    const { response } = await runtime.run(code, post("multipart/form-data; boundary=B", body));
    expect(responseJson(response.body)).toEqual({ title: "Hello", file: [0, 1] });
  });

  it("cookies by name (browsers cannot send a Cookie header from the request builder)", async () => {
    const code = "def handler(request):\n    return request.cookies\n";
    const request = {
      ...getRequest(),
      headers: [["cookie", 'session=abc123; theme="dark"; broken']] as [string, string][],
    };
    const { response } = await runtime.run(code, request);
    expect(responseJson(response.body)).toEqual({ session: "abc123", theme: "dark" });
  });

  it("text works called, awaited and as the plain property", async () => {
    const code =
      "async def handler(request):\n    return [request.text, request.text(), await request.text(), type(await request.text()).__name__]\n";
    const { response } = await runtime.run(code, post("text/plain", "hi"));
    expect(responseJson(response.body)).toEqual(["hi", "hi", "hi", "str"]);
  });

  it("handler(request, env) is refused with fnpad's form", async () => {
    const code = "def handler(request, env):\n    return 1\n";
    const result = await runtime.run(code, getRequest());
    expect(result.error?.type).toBe("HandlerFormError");
    expect(result.error?.message).toContain("def handler(request):");
  });
});

describe("workers.fetch", () => {
  it("sends the method, headers and body out, and answers with status, headers and body", async () => {
    const seen: { method?: string; header?: string; body?: string } = {};
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        Object.assign(seen, { method: request.method, header: request.headers["x-demo"], body });
        response.writeHead(201, { "content-type": "application/json", "x-answer": "yes" });
        response.end(JSON.stringify({ got: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const code = [
        "from workers import Response, fetch",
        "",
        "async def on_fetch(request, env):",
        `    answer = await fetch("http://127.0.0.1:${port}/hook", method="POST", headers={"x-demo": "1"}, body="ping")`,
        '    return Response.json({"status": answer.status, "header": answer.headers.get("x-answer"), "json": await answer.json()})',
      ].join("\n");
      const { response } = await runtime.run(code, getRequest());
      expect(responseJson(response.body)).toEqual({
        status: 201,
        header: "yes",
        json: { got: "ping" },
      });
      expect(seen).toEqual({ method: "POST", header: "1", body: "ping" });
    } finally {
      server.close();
    }
  });
});
