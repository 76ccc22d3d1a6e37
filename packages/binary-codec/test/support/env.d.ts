// Vite's `?raw` suffix imports a file as its text, in Node and in the browser alike.
declare module '*?raw' {
  const text: string;
  export default text;
}
