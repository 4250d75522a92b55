import { Theme } from '@radix-ui/themes'
import { useSystemAppearance } from '../../hooks/use-system-appearance'
import { AppShell } from './AppShell'

/** The theme (following the OS light/dark setting, live) around the app shell. */
export function AppRoot() {
  const appearance = useSystemAppearance()
  return (
    <Theme appearance={appearance} accentColor="indigo" grayColor="slate" radius="medium" scaling="95%" panelBackground="solid" className="app-theme">
      <AppShell />
    </Theme>
  )
}
