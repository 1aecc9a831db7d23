import { encode } from "uqr";

interface Props {
  /** What the code encodes (the endpoint URL). */
  text: string;
}

/**
 * A QR code as an SVG drawn from uqr's module matrix: one path of unit squares, crisp at any
 * size. Dark on light whatever the page's theme, as phone cameras expect.
 */
export function QrCode({ text }: Props) {
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
      aria-label={`QR code for ${text}`}
      viewBox={`0 0 ${size} ${size}`}
      shape-rendering="crispEdges"
      data-testid="qr"
    >
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
