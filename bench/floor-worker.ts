/**
 * The benchmark's floor: a plain Worker answering what the trivial snippets answer, with nothing
 * in between. Started with `--var HOP_TO:<url>` it is the floor plus one local hop: it answers
 * with what `HOP_TO` answers, as the app answers with what a runner process sends back.
 */
export default {
  async fetch(_request: Request, env: { HOP_TO?: string }): Promise<Response> {
    if (env.HOP_TO) {
      const answer = await fetch(env.HOP_TO, { method: "POST", body: "" });
      return new Response(answer.body, answer);
    }
    return new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};
