import { AlertDialog, Badge, Button, Flex, IconButton, Text, Tooltip, VisuallyHidden } from '@radix-ui/themes'
import { Layers, Package, Trash2 } from 'lucide-react'
import { useEffect, useState } from 'react'
import type { WireError } from '../../../../shared/errors'
import { formatBytes, shortId } from '../../../../shared/format'
import type { SlipwayImage, SlipwayImageStatus, SlipwayProject } from '../../../../shared/types/images'
import { EmptyState } from '../../components/EmptyState'
import { ErrorCallout } from '../../components/ErrorCallout'
import { FixText } from '../../components/FixText'
import { useNow } from '../../hooks/use-now'
import { useApp } from '../../stores'
import { RunButton } from '../run/RunButton'
import { imageAge } from './image-labels'

const STATUS: Record<SlipwayImageStatus, { label: string; color: 'green' | 'amber' | 'gray' }> = {
  current: { label: 'Current', color: 'green' },
  stale: { label: 'Stale', color: 'amber' },
  'project-gone': { label: 'Project gone', color: 'gray' },
  unknown: { label: 'Unknown', color: 'gray' },
}

/** Current, Stale, Project gone or Unknown: words and colour, the reason in a tooltip. */
function StatusBadge({ image }: { image: SlipwayImage }) {
  const s = STATUS[image.status]
  return (
    <Tooltip content={image.statusDetail}>
      <Badge color={s.color} size="1" data-testid="slipway-status" tabIndex={0}>
        {s.label}
      </Badge>
    </Tooltip>
  )
}

/** What to call an image in a dialog: its first tag, or its short id. */
function nameOf(image: SlipwayImage): string {
  return image.repoTags[0] ?? shortId(image.id)
}

function DeleteButton({ image, onError }: { image: SlipwayImage; onError: (e: WireError | null) => void }) {
  const remove = useApp((s) => s.removeSlipwayImage)
  const [busy, setBusy] = useState(false)
  const name = nameOf(image)
  const used = image.containers > 0
  const button = (
    <IconButton size="1" variant="ghost" color="red" aria-label={`Delete ${name}`} disabled={busy || used} data-testid="slipway-delete">
      <Trash2 size={14} aria-hidden />
    </IconButton>
  )
  if (used)
    return (
      <Tooltip content={`Used by ${image.containers === 1 ? 'a container' : `${image.containers} containers`}: remove ${image.containers === 1 ? 'it' : 'them'} first (Containers tab).`}>
        <span>{button}</span>
      </Tooltip>
    )
  return (
    <AlertDialog.Root>
      <Tooltip content="Delete the image">
        <AlertDialog.Trigger>{button}</AlertDialog.Trigger>
      </Tooltip>
      <AlertDialog.Content maxWidth="460px" data-testid="slipway-delete-dialog">
        <AlertDialog.Title>Delete {name}?</AlertDialog.Title>
        <AlertDialog.Description size="2">
          The image {image.repoTags.length > 1 ? `and its tags ${image.repoTags.join(', ')} are` : 'is'} removed from the engine ({formatBytes(image.sizeBytes)}). The project folder is not touched;
          building again makes it again.
        </AlertDialog.Description>
        <Flex gap="3" mt="4" justify="end">
          <AlertDialog.Cancel>
            <Button variant="soft" color="gray">
              Cancel
            </Button>
          </AlertDialog.Cancel>
          <AlertDialog.Action>
            <Button
              color="red"
              onClick={() => {
                setBusy(true)
                void remove(image.id).then((e) => {
                  setBusy(false)
                  onError(e)
                })
              }}
            >
              Delete
            </Button>
          </AlertDialog.Action>
        </Flex>
      </AlertDialog.Content>
    </AlertDialog.Root>
  )
}

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function ImageRow({ project, image, first, now, onError }: { project: SlipwayProject; image: SlipwayImage; first: boolean; now: number; onError: (e: WireError | null) => void }) {
  const openImage = useApp((s) => s.openImage)
  const name = nameOf(image)
  const age = imageAge(image.created, now, (t) => absolute.format(t))
  return (
    <div role="row" className="simages-row" data-testid="slipway-image" data-status={image.status}>
      <span role="cell" className="simages-cell simages-base">
        {first ? <Text weight="medium">{image.base}</Text> : null}
      </span>
      <span role="cell" className="simages-cell mono" title={image.repoTags.join('\n') || image.id}>
        {image.repoTags.length ? (
          image.repoTags.map((t) => (
            <span key={t} className="simages-tag selectable">
              {t}
            </span>
          ))
        ) : (
          <Text color="gray">untagged {shortId(image.id)}</Text>
        )}
      </span>
      <span role="cell" className="simages-cell simages-right">
        {formatBytes(image.sizeBytes)}
      </span>
      <span role="cell" className="simages-cell simages-right">
        <Text color="gray" title={age.title}>
          {age.text}
        </Text>
      </span>
      <span role="cell" className="simages-cell">
        <StatusBadge image={image} />
      </span>
      <span role="cell" className="simages-actions">
        <Tooltip content="Open in the layer explorer">
          <Button size="1" variant="soft" color="gray" onClick={() => openImage({ id: image.id, label: name })} data-testid="slipway-open">
            <Layers size={13} aria-hidden /> Open
          </Button>
        </Tooltip>
        <RunButton image={image.repoTags[0] ?? image.id} {...(project.gone ? {} : { dir: project.dir })} />
        <DeleteButton image={image} onError={onError} />
      </span>
    </div>
  )
}

/** Slipway's own images: one group per project (name, path), a row per image under its base, with Open, Run… and Delete. */
export function SlipwayImages() {
  const list = useApp((s) => s.images.slipway)
  const error = useApp((s) => s.images.slipwayError)
  const load = useApp((s) => s.loadSlipwayImages)
  const connected = useApp((s) => s.engine.state?.status === 'connected')
  const [refused, setRefused] = useState<WireError | null>(null)
  const now = useNow(30_000)

  useEffect(() => {
    if (connected) void load()
  }, [connected, load])

  if (error && !list)
    return (
      <div className="page-center">
        <EmptyState title={error.message}>{error.detail && <FixText text={error.detail} />}</EmptyState>
      </div>
    )
  if (list && list.length === 0)
    return (
      <div className="page-center">
        <EmptyState icon={<Package size={22} strokeWidth={1.5} />} title="No images built by Slipway yet">
          Open a project and press Build: its images are listed here by project and base, with whether each is still current.
        </EmptyState>
      </div>
    )
  return (
    <div className="simages" data-testid="slipway-images">
      {refused && (
        <ErrorCallout error={refused} className="simages-refused" testId="slipway-refused" />
      )}
      {(list ?? []).map((p) => (
        <section key={p.dir} className="simages-project" aria-label={p.name} data-testid="slipway-project" data-dir={p.dir}>
          <header className="simages-project-head">
            <Text weight="bold" size="3">
              {p.name}
            </Text>
            <Text color="gray" size="1" className="mono simages-path selectable" title={p.dir}>
              {/* The path is cut at its start (rtl); the mark keeps its leading slash in place. */}
              {`\u200e${p.dir}`}
            </Text>
            {p.gone && (
              <Badge color="gray" size="1">
                Folder gone
              </Badge>
            )}
          </header>
          <div role="table" aria-label={`Images of ${p.name}`}>
            <div role="row" className="simages-row simages-head">
              <span role="columnheader">Base</span>
              <span role="columnheader">Tags</span>
              <span role="columnheader" className="simages-right">
                Size
              </span>
              <span role="columnheader" className="simages-right">
                Built
              </span>
              <span role="columnheader">Status</span>
              <span role="columnheader">
                <VisuallyHidden>Actions</VisuallyHidden>
              </span>
            </div>
            {p.bases.flatMap((b) => b.images.map((i, n) => <ImageRow key={i.id} project={p} image={i} first={n === 0} now={now} onError={setRefused} />))}
          </div>
        </section>
      ))}
    </div>
  )
}
