/** Entry point: picks the backend from the URL and starts the app. */
import { WebClientApp } from './app.ts';
import { createBackend } from './backend.ts';
import './style.css';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html must contain <div id="app">');
const app = new WebClientApp(root, createBackend(new URL(location.href), localStorage), localStorage);
void app.start();
