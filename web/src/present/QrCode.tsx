import { useEffect, useState } from "preact/hooks";

type Encode = typeof import("uqr").encode;

/** uqr, once loaded: only presenter mode draws QR codes, so it is not part of the page's first load. */
let loadedEncode: Encode | null = null;

interface Props {
  /** What the code encodes (the endpoint URL). */
  text: string;
}

/**
 * A QR code as an SVG drawn from uqr's module matrix: one path of unit squares, crisp at any
 * size. Dark on light whatever the page's theme, as phone cameras expect. Until uqr has loaded
 * (a moment, the first time) the square is there, blank, with its label.
 */
export function QrCode({ text }: Props) {
  const [encode, setEncode] = useState<Encode | null>(() => loadedEncode);
  useEffect(() => {
    if (encode) return;
    let live = true;
    void import("uqr").then((uqr) => {
      loadedEncode = uqr.encode;
      if (live) setEncode(() => uqr.encode);
    });
    return () => {
      live = false;
    };
  }, [encode]);
  const label = `QR code for ${text}`;
  if (!encode) return <svg class="qr" role="img" aria-label={label} aria-busy="true" />;
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let path = "";
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      shape-rendering="crispEdges"
      data-testid="qr"
    >
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
