// The page: settings (mirrored in the URL hash) flow down to the controls and to the engine;
// snapshots flow back up from the worker to the views. No training logic here.

import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { defaultAugments } from '../core/augmentSettings';
import { RESET_KEYS, type Settings } from '../core/settings';
import { parseSettings, serializeSettings } from '../core/urlSettings';
import { Controls } from './Controls';
import { LossChart } from './LossChart';
import { Measurements } from './Measurements';
import { Notices } from './Notices';
import { Readouts } from './Readouts';
import { AnchorTemperature, ContrastPanels } from './ContrastPanels';
import { EmbeddingView } from './EmbeddingView';
import { useEngine } from './useEngine';
import { ViewPairs } from './ViewPairs';
import { AugmentPanel } from './AugmentPanel';
import { RunControls, ShowControlsButton } from './RunControls';
import { SimilarityMatrix } from './SimilarityMatrix';
import { SlowMotion } from './SlowMotion';
import { SpeedChart } from './SpeedChart';
import { ExportPanel } from './ExportPanel';
import type { Explain } from '../protocol';
import { LESSON, type LessonStep } from '../core/lesson';
import { applyPatch, type PresetId, withPreset } from '../core/presets';
import { ClassroomBar } from './ClassroomBar';
import { LessonPanel } from './LessonPanel';
import { PresetNote } from './PresetPicker';
import { useClassroomKeys } from './useClassroomKeys';
import { HIDDEN_TAB_NOTICE, useHiddenTabPause } from './useHiddenTabPause';
import { chanceFor } from '../core/chance';
import type { Snapshot } from '../protocol';
import { QueryPanel } from './QueryPanel';
import { UserImagesPanel } from './UserImagesPanel';
import { useUserData } from './useUserData';
import { usePageDrop } from './usePageDrop';
import { usePlayKeys } from './usePlayKeys';
import { useSearchByExample } from './useSearchByExample';

const clampLesson = (i: number) => Math.max(0, Math.min(LESSON.length - 1, i));

// The first screen does not need it.
const AboutMath = lazy(() => import('./AboutMath'));
// CLIP mode's panels load only when it is chosen (the worker loads its text encoder likewise).
const ClipSection = lazy(() => import('./clip/ClipSection'));
const ClipControls = lazy(() => import('./clip/ClipSection').then((m) => ({ default: m.ClipControls })));

export function App() {
  const initial = useMemo(() => parseSettings(location.search, location.hash), []);
  const [settings, setSettings] = useState<Settings>(initial.settings);
  const [notices, setNotices] = useState<string[]>(initial.notices);
  const engine = useEngine();
  const { send } = engine;
  const playing = engine.snapshot?.playing ?? false;
  const [wantPlay, setWantPlay] = useState(false);
  const settingsRef = useRef(settings);

  const user = useUserData(send, settings);
  const [looseClass, setLooseClass] = useState('my images');
  usePageDrop(user.library, looseClass);

  useEffect(() => {
    // "My images" starts once the stored images are loaded (useUserData sends it).
    if (initial.settings.dataset !== 'user')
      send({ type: 'configure', settings: initial.settings, assetBase: document.baseURI });
  }, [send, initial]);

  // The URL always says what is on screen, so a copied link reopens it.
  useEffect(() => {
    const hash = '#' + serializeSettings(settings);
    if (location.hash !== hash)
      history.replaceState(null, '', location.pathname + location.search.replace(/^\?.*$/, '') + hash);
  }, [settings]);

  const change = useCallback(
    (next: Settings) => {
      const prev = settingsRef.current;
      // Another dataset leaves the preset's experiment (its explanation would no longer fit).
      if (next.dataset !== prev.dataset) next = { ...next, augments: defaultAugments(next.dataset), preset: '' };
      settingsRef.current = next;
      setSettings(next);
      const needsReset = RESET_KEYS.some((k) => next[k] !== prev[k]);
      if (needsReset) user.beforeConfigure(next);
      send(
        needsReset
          ? { type: 'configure', settings: next, assetBase: document.baseURI }
          : { type: 'setParams', settings: next },
      );
    },
    [send, user.beforeConfigure],
  );

  const togglePlay = useCallback(() => {
    const next = !(playing || wantPlay);
    setWantPlay(next);
    send({ type: next ? 'play' : 'pause' });
  }, [playing, wantPlay, send]);

  // The button follows the engine once it answers; until then, what was asked.
  useEffect(() => {
    if (engine.snapshot) setWantPlay(engine.snapshot.playing);
  }, [engine.snapshot]);

  const step = useCallback(() => send({ type: 'step', n: 1 }), [send]);
  // Slow motion: pause, run one step that also re-embeds its views after the update, and walk
  // its stages. `explainShown` is the explanation on screen when asked (undefined: closed), so
  // only a newer one is shown.
  const [explainShown, setExplainShown] = useState<Explain | null | undefined>(undefined);
  const explainStep = useCallback(() => {
    setWantPlay(false);
    send({ type: 'pause' });
    send({ type: 'step', n: 1, explain: true });
    setExplainShown(engine.explain ?? null);
  }, [send, engine.explain]);

  const reset = useCallback(() => {
    setWantPlay(false);
    send({ type: 'pause' });
    send({ type: 'reset' });
  }, [send]);
  // A loaded model arrives with the engine already rebuilt for it: the page only takes on its settings.
  const adoptLoaded = useCallback((next: Settings) => {
    settingsRef.current = next;
    setSettings(next);
  }, []);

  // Classroom: presets and lesson steps set up experiments from fresh weights, so every class
  // sees the same thing; presentation mode is a setting, so a projector link keeps it.
  const restartWith = useCallback(
    (next: Settings) => {
      settingsRef.current = next;
      setSettings(next);
      user.beforeConfigure(next);
      send({ type: 'configure', settings: next, assetBase: document.baseURI });
    },
    [send, user.beforeConfigure],
  );
  const choosePreset = useCallback(
    (id: PresetId | '') => {
      if (id) restartWith(withPreset(id, settingsRef.current));
      else change({ ...settingsRef.current, preset: '' });
    },
    [restartWith, change],
  );
  const play = useCallback(() => {
    setWantPlay(true);
    send({ type: 'play' });
  }, [send]);
  const pause = useCallback(() => {
    setWantPlay(false);
    send({ type: 'pause' });
  }, [send]);
  const enterLessonStep = useCallback(
    (st: LessonStep) => {
      const cur = settingsRef.current;
      let next = st.preset ? withPreset(st.preset, cur) : cur;
      if (st.settings) next = applyPatch(next, st.settings);
      // Walking back and forth between steps of one experiment must not restart it.
      if (serializeSettings(next) !== serializeSettings(cur)) {
        const fresh = st.restart || next.preset !== cur.preset || RESET_KEYS.some((k) => next[k] !== cur[k]);
        if (fresh) restartWith(next);
        else change(next);
      }
      if (st.run === 'play') play();
      else if (st.run === 'pause') pause();
      else if (st.run === 'step') {
        pause();
        send({ type: 'step', n: 1 });
      }
    },
    [restartWith, change, play, pause, send],
  );
  const [lessonOpen, setLessonOpen] = useState(false);
  const [lessonIndex, setLessonIndex] = useState(0);
  const goLesson = useCallback((i: number) => setLessonIndex(clampLesson(i)), []);
  const moveLesson = useCallback((d: number) => setLessonIndex((i) => clampLesson(i + d)), []);
  const [aboutOpen, setAboutOpen] = useState(false);
  const presenting = settings.presentation === 'on';
  const togglePresentation = useCallback(() => {
    const cur = settingsRef.current;
    change({ ...cur, presentation: cur.presentation === 'on' ? 'off' : 'on' });
  }, [change]);
  // Type sizes are in rem, so presentation mode scales the root font.
  useEffect(() => {
    document.documentElement.classList.toggle('presenting', presenting);
  }, [presenting]);
  useClassroomKeys({
    lessonOpen,
    presenting,
    next: () => moveLesson(1),
    previous: () => moveLesson(-1),
    togglePresentation,
  });
  useHiddenTabPause({
    playing: playing || wantPlay,
    step: engine.snapshot?.step ?? 0,
    pause,
    play,
    notify: (m) => setNotices((ns) => [...ns.filter((x) => !x.startsWith(HIDDEN_TAB_NOTICE)), m]),
  });

  usePlayKeys(togglePlay, step);

  const { query, asAnchor, runQuery, chooseAnchor, queryAnchor } = useSearchByExample({
    send,
    displayStep: engine.snapshot?.display?.step,
    ready: engine.ready,
    result: engine.query,
  });

  const snap = engine.snapshot;
  // With "Use as anchor", the anchor panels show the query's batch (row 0 is the query).
  const anchorSnap: Snapshot | null =
    snap && queryAnchor
      ? { ...snap, batch: queryAnchor.batch, batchViews: queryAnchor.views, batchFactors: null }
      : snap;
  const clipMode = settings.loss === 'clip';
  // A learned temperature is the engine's: the slider follows it.
  const shownSettings =
    clipMode && settings.learnTemperature === 'on' && snap
      ? { ...settings, temperature: Number(snap.temperature.toFixed(4)) }
      : settings;
  const classNames = engine.ready?.classNames ?? [];
  const errorNotices = engine.errors.map((e) => e.message);
  const backendNotices = engine.backend?.failures.length
    ? [`Backend fallback: ${engine.backend.failures.join('; ')}. Running on ${engine.backend.name}.`]
    : [];

  return (
    <div className={`app${presenting ? ' presenting' : ''}${lessonOpen ? ' with-lesson' : ''}`}>
      <header>
        <h1>Contrastive Playground</h1>
        <p className="tagline">A small encoder learns, without labels, that two views of one image belong together.</p>
        <ClassroomBar
          preset={settings.preset}
          onPreset={choosePreset}
          lessonOpen={lessonOpen}
          onLesson={() => setLessonOpen((o) => !o)}
          presenting={presenting}
          onPresent={togglePresentation}
          onAbout={() => setAboutOpen(true)}
        />
      </header>
      <PresetNote id={settings.preset} />
      <Notices
        items={[...notices, ...backendNotices, ...errorNotices, ...user.notices]}
        onDismiss={(i) => {
          if (i < notices.length) setNotices(notices.filter((_, k) => k !== i));
          else if (i >= notices.length + backendNotices.length)
            engine.dismissError(i - notices.length - backendNotices.length);
        }}
      />
      {settings.controls === 'hidden' && <ShowControlsButton settings={settings} onChange={change} />}
      <main className={settings.controls === 'hidden' ? 'no-controls' : undefined}>
        {settings.controls !== 'hidden' && (
          <div className="col-controls">
            <Controls
              settings={shownSettings}
              playing={playing || wantPlay}
              onChange={change}
              onPlay={togglePlay}
              onStep={step}
              onReset={reset}
            />
            {clipMode && (
              <Suspense fallback={null}>
                <ClipControls settings={settings} state={engine.clipState ?? null} onChange={change} />
              </Suspense>
            )}
            <RunControls settings={settings} onChange={change} onExplain={explainStep} />
            <ExportPanel settings={settings} engine={engine} send={send} onLoaded={adoptLoaded} />
            <AugmentPanel
              settings={settings}
              onChange={change}
              preview={engine.preview ?? null}
              send={send}
              engineKey={engine.ready}
            />
          </div>
        )}
        <EmbeddingView
          snapshot={snap}
          dim={snap?.dim ?? settings.embeddingDim}
          temperature={settings.temperature}
          classNames={classNames}
          factors={engine.ready?.factors}
          queryZ={query ? (engine.query?.z ?? null) : null}
          captionPoints={clipMode ? (engine.clipState?.captions?.embeddings ?? null) : null}
        />
        <div className="side">
          <QueryPanel
            dataset={settings.dataset}
            result={query ? (engine.query ?? null) : null}
            queryLabel={query?.label ?? null}
            onQuery={runQuery}
            asAnchor={asAnchor}
            onAsAnchor={chooseAnchor}
          />
          <UserImagesPanel
            library={user.library}
            looseClass={looseClass}
            onLooseClass={setLooseClass}
            onSearch={(img) =>
              runQuery({ kind: 'pixels', height: 32, width: 32, channels: 3, pixels: img.pixels }, img.className)
            }
          />
          <Readouts snapshot={snap} backend={engine.backend} ready={engine.ready} batchSize={settings.batchSize} />
          {/* CLIP's anchor panel below shows its own softmax over the captions. */}
          {!clipMode && <AnchorTemperature snapshot={anchorSnap} temperature={settings.temperature} />}
          <LossChart
            steps={snap?.lossSteps ?? new Int32Array(0)}
            losses={snap?.lossHistory ?? new Float32Array(0)}
            chance={chanceFor(settings.loss, settings.batchSize)}
            loss={settings.loss}
          />
          <SpeedChart snapshot={snap} />
        </div>
      </main>
      {explainShown !== undefined && (
        <SlowMotion
          explain={engine.explain && engine.explain !== explainShown ? engine.explain : null}
          learningRate={settings.learningRate}
          onAgain={explainStep}
          onClose={() => setExplainShown(undefined)}
        />
      )}
      {/* Below the fold on a projector: the anchor in detail, the batch, and what was learned. */}
      {clipMode ? (
        <Suspense fallback={null}>
          <ClipSection
            settings={settings}
            snapshot={snap}
            state={engine.clipState ?? null}
            evaluation={engine.clipEval ?? null}
            search={engine.clipSearch ?? null}
            probes={engine.probes}
            send={send}
          />
        </Suspense>
      ) : (
        <section className="contrast-row" aria-label="Anchor panels">
          <ContrastPanels snapshot={anchorSnap} temperature={settings.temperature} classNames={classNames} />
          <SimilarityMatrix batch={anchorSnap?.batch ?? null} temperature={settings.temperature} />
        </section>
      )}
      <section className="measure-row" aria-label="Measurements">
        <Measurements metrics={engine.metrics} probes={engine.probes} labelCurve={engine.labelCurve} send={send} />
        <ViewPairs views={snap?.batchViews ?? null} />
      </section>
      {lessonOpen && (
        <LessonPanel
          index={lessonIndex}
          onIndex={goLesson}
          onEnter={enterLessonStep}
          onClose={() => setLessonOpen(false)}
        />
      )}
      {aboutOpen && (
        <Suspense fallback={null}>
          <AboutMath
            snapshot={snap}
            temperature={settings.temperature}
            loss={settings.loss}
            onClose={() => setAboutOpen(false)}
          />
        </Suspense>
      )}
    </div>
  );
}
