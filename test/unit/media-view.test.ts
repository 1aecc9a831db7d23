import { describe, expect, test } from "vitest";
import { mediaView } from "../../web/src/media-view.ts";

describe("mediaView", () => {
  test("shows images, audio, video and PDFs as media", () => {
    expect(mediaView("image/png")).toEqual({ kind: "image", type: "image/png" });
    expect(mediaView("image/svg+xml")).toEqual({ kind: "image", type: "image/svg+xml" });
    expect(mediaView("audio/wav")).toEqual({ kind: "audio", type: "audio/wav" });
    expect(mediaView("video/webm")).toEqual({ kind: "video", type: "video/webm" });
    expect(mediaView("application/pdf")).toEqual({ kind: "pdf", type: "application/pdf" });
  });

  test("ignores parameters and case", () => {
    expect(mediaView(" Image/JPEG ; q=1")).toEqual({ kind: "image", type: "image/jpeg" });
    expect(mediaView("application/PDF; charset=binary")?.kind).toBe("pdf");
  });

  test("leaves every other body to the text, JSON, HTML and hex views", () => {
    for (const type of [
      undefined,
      "",
      "application/octet-stream",
      "text/html",
      "application/json",
      "text/plain; charset=utf-8",
      "imagepng",
      "image/",
      "/png",
      "image/png/x",
      "image/p ng",
      "application/pdfx",
      "text/image",
    ]) {
      expect(mediaView(type), String(type)).toBeNull();
    }
  });
});
