import { createRoot } from 'react-dom/client';
import '../m/m.css';
import './r.css';
import { PortalApp } from './App.js';

createRoot(document.getElementById('root') as HTMLElement).render(<PortalApp />);
