import { FileTree } from './FileTree'
import { Insights } from './Insights'
import { LayerList } from './LayerList'

/** The layer explorer: layers and details on the left, the file tree as of the selected layer on the right. */
export function Explorer() {
  return (
    <div className="explorer">
      <div className="explorer-side">
        <LayerList />
        <Insights />
      </div>
      <FileTree />
    </div>
  )
}
