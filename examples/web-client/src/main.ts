/** Entry point: picks the backend from the URL and starts the app. */
import { showStartupProblem, WebClientApp } from './app.ts';
import { BackendUrlError, createBackend } from './backend.ts';
import './style.css';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html must contain <div id="app">');
try {
  const app = new WebClientApp(root, createBackend(new URL(location.href), localStorage), localStorage);
  void app.start();
} catch (error) {
  // Without this the page would stay on "Loading…" with the error in the console only.
  const message = error instanceof Error ? error.message : String(error);
  showStartupProblem(
    root,
    error instanceof BackendUrlError
      ? { title: 'This ?url= cannot be used', text: message, hint: `${location.origin}${location.pathname}?url=${error.example}` }
      : { title: 'The page could not start', text: message, action: 'Reload' },
  );
  console.error(error);
}
