import '@radix-ui/themes/styles.css'
import './styles/app.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AppRoot } from './features/shell/AppRoot'
import { initStore } from './stores'

initStore()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element.')
createRoot(root).render(
  <StrictMode>
    <AppRoot />
  </StrictMode>,
)
