import { Badge, Text } from '@radix-ui/themes'
import { modKey } from '../../hooks/platform'
import { useApp } from '../../stores'
import { NAV_ITEMS } from './nav'
import { SlipwayMark } from './SlipwayMark'

/** The left column: wordmark, the pages with their shortcuts, and the app version. */
export function Sidebar() {
  const page = useApp((s) => s.app.page)
  const setPage = useApp((s) => s.setPage)
  // The page's own link again, from inside one of its items, goes back to its list (as a breadcrumb would).
  const closeImage = useApp((s) => s.closeImage)
  const version = useApp((s) => s.app.info?.version)
  const socket = useApp((s) => s.transport.socket)

  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar-brand">
        <SlipwayMark />
        <Text size="3" weight="bold" className="wordmark">
          Slipway
        </Text>
      </div>

      <ul className="nav-list">
        {NAV_ITEMS.map(({ page: p, label, icon: Icon, key }) => (
          <li key={p}>
            <button
              type="button"
              className="nav-item"
              aria-current={page === p ? 'page' : undefined}
              aria-keyshortcuts={`${modKey === '⌘' ? 'Meta' : 'Control'}+${key}`}
              onClick={() => (p === 'images' && page === 'images' ? closeImage() : setPage(p))}
            >
              <Icon size={16} strokeWidth={1.75} aria-hidden className="nav-icon" />
              <span className="nav-label">{label}</span>
              <kbd className="nav-kbd" aria-hidden="true">
                {modKey === '⌘' ? `⌘${key}` : `Ctrl+${key}`}
              </kbd>
            </button>
          </li>
        ))}
      </ul>

      <div className="sidebar-footer">
        <Text size="1" color="gray">
          {version ? `Slipway ${version}` : 'Slipway'}
        </Text>
        {socket !== 'ipc' && (
          <Badge size="1" variant="outline" color="gray" title="This tab talks to `npm run web` on this machine">
            Browser mode
          </Badge>
        )}
      </div>
    </nav>
  )
}
