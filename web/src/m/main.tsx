import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FieldApp } from './App.js';
import './m.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <FieldApp />
  </StrictMode>,
);

// The app shell and its assets are kept by a service worker, so /m opens without a network.
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' });
