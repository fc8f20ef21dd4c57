/** Embed colours, so every reply of one kind looks the same. */
export const Colors = {
  success: 0x2ecc71,
  error: 0xe74c3c,
  warning: 0xf1c40f,
  info: 0x5865f2,
  neutral: 0x95a5a6,
} as const;
