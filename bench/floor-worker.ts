/** The benchmark's floor: a plain Worker answering what the trivial snippets answer, with nothing in between. */
export default {
  fetch(): Response {
    return new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};
