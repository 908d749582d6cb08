export { serverVersion, type Settings, type SettingsSource, settingsView, SSRF_BLOCKED } from './view.js';
