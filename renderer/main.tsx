// Browser entry: mounts the app. Nothing here knows whether it runs in Electron or in a
// browser tab against the headless server; the API client hides that.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/styles.css';
import './app/layout.css';
import { App } from './app/app.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
