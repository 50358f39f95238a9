import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config';

interface Manifest {
  features: { bot_user: { display_name: string }; unfurl_domains?: string[]; slash_commands: Array<{ command: string; should_escape: boolean }>; app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

describe('manifest.yml', () => {
  const m = parse(readFileSync(join(__dirname, '../../manifest.yml'), 'utf8')) as Manifest;

  it('declares the bot, /data, the events the app listens to, interactivity and Socket Mode', () => {
    expect(m.features.bot_user.display_name).toBe('Nansen');
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/data']);
    expect(m.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_mention', 'link_shared', 'message.channels', 'message.groups', 'message.im']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });

  it('lists the default NANSEN_UNFURL_DOMAINS as unfurl_domains', () => {
    expect(m.features.unfurl_domains).toEqual(loadConfig({}).NANSEN_UNFURL_DOMAINS);
  });

  it('asks only for the scopes the app uses', () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'channels:history', 'channels:join', 'channels:read', 'chat:write', 'commands', 'files:write', 'groups:history', 'groups:read', 'im:history', 'im:write', 'links:read', 'links:write', 'users:read']);
    expect(m.oauth_config.scopes.user).toBeUndefined();
  });
});
