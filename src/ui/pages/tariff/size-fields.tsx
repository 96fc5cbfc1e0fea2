import { ErrorText, fieldError } from '../../components';

/** Disk and RAM sizes are typed in GiB and sent in MiB; empty means "not set". */
export function gibToMib(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const gib = Number(trimmed);
  return Number.isFinite(gib) ? Math.round(gib * 1024) : Number.NaN;
}

export function mibToGibText(mib: number | null): string {
  return mib === null ? '' : String(Math.round((mib / 1024) * 100) / 100);
}

interface SizeFieldsProps {
  disk: string;
  ram: string;
  onDisk: (text: string) => void;
  onRam: (text: string) => void;
  error: unknown;
}

/** A tariff's disk and RAM inputs (GiB, empty: not limited), as the create and edit forms show them. */
export function TariffSizeFields({ disk, ram, onDisk, onRam, error }: SizeFieldsProps) {
  return (
    <>
      <label>
        Disk size, GiB <span className="muted">(empty: not limited)</span>
        <input inputMode="decimal" value={disk} onChange={(e) => onDisk(e.target.value)} />
        <ErrorText error={fieldError(error, 'diskMib')} />
      </label>
      <label>
        RAM, GiB <span className="muted">(empty: not limited)</span>
        <input inputMode="decimal" value={ram} onChange={(e) => onRam(e.target.value)} />
        <ErrorText error={fieldError(error, 'ramMib')} />
      </label>
    </>
  );
}
