"""The `Workspace`: one library home and everything a front end needs from it.

The command line and the web UI are thin callers of this object: they parse input, call it, and
render what it returns. The library, the index and the model are opened lazily (a `parse` never
loads chromadb) from one `Settings`, and shared safely between the threads a web server uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import JixiaoError, NotFound, ReadError, UsageError
from jixiao.progress import NullProgress, Progress
from jixiao.readers import LoadResult, load

if TYPE_CHECKING:  # pydantic's models load with the first command that needs them, not --help
    from jixiao.brief import Brief
    from jixiao.chat import Answer, Conversation, ToolRecord, Tools
    from jixiao.corpus import Library
    from jixiao.draft import Draft
    from jixiao.findings import ReviewResult
    from jixiao.index import Index
    from jixiao.langchain_retriever import LibraryRetriever
    from jixiao.llm import Model
    from jixiao.llm_chat import ChatModel
    from jixiao.model import Table
    from jixiao.policy import PolicyDoc
    from jixiao.retrieval import Hit
    from jixiao.settings import Settings

TEST_ENDPOINT = "test:"  # JIXIAO_LLM_BASE_URL=test: selects jixiao.testing.TestModel
WRITE_STAGE = "写入资料库并建立关键词索引"  # each chunk is searchable by keyword once written
ADD_CHUNK = 500  # tables written and indexed by keyword under one hold of the writers' lock
_AUTO = object()


class Workspace:
    """Read, review and search over the library under `settings.home`."""

    def __init__(
        self,
        settings: Settings | None = None,
        model: Model | None | object = _AUTO,
        use_model_cache: bool = True,
        progress: Progress | None = None,
    ) -> None:
        """`model`: a `Model` to use, None for offline, or (default) the one settings name;
        `progress`: where the slow steps (opening and building the index, adding) report."""
        from jixiao.settings import Settings

        self.settings = settings or Settings.from_env()
        self.progress = progress or NullProgress()
        self.notes: list[str] = []  # repairs and fall-backs met on the way, for the user
        self._model_arg = model
        self._use_model_cache = use_model_cache
        self._open_lock = threading.Lock()
        self._library: Library | None = None
        self._index: Index | None = None
        self._model: Model | None | object = _AUTO

    # --- what is opened lazily ------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The library alone (plain files): listing and showing tables need no index."""
        if self._library is not None:  # no lock once open: writers use it under the library lock
            return self._library
        with self._open_lock:
            if self._library is None:
                from jixiao.corpus import Library

                self._library = Library(self.settings.home)
                self.notes += self._library.problems
        return self._library

    @property
    def index(self) -> Index:
        self._open()
        assert self._index is not None
        return self._index

    def _open(self) -> None:
        if self._index is not None:
            return
        library = self.library
        with self._open_lock:
            if self._index is not None:
                return
            from jixiao.embed_endpoint import endpoint_from
            from jixiao.index import Index

            # Opened under the writers' lock: several processes starting on an empty home must
            # not create (or judge damaged) the store at the same moment.
            with library.lock():
                settings = self.settings
                endpoint = endpoint_from(settings)
                index = Index(settings.home, settings.chroma_url, self.progress, endpoint)
                note = index.sync(library)
            self.notes += index.notes + ([note] if note else [])
            self._index = index

    def _opened_index(self) -> Index:
        # Opened before a writer takes the library lock: opening takes the workspace's own lock
        # and then the library's, so taking them the other way round could deadlock two threads.
        return self.index

    @property
    def model(self) -> Model | None:
        """The model that adds judgement, or None: offline."""
        with self._open_lock:
            if self._model is _AUTO:
                self._model = (
                    self._model_arg if self._model_arg is not _AUTO else self._model_from_settings()
                )
        return self._model  # type: ignore[return-value]

    def _model_from_settings(self) -> Model | None:
        from jixiao.llm import LLM, config_from
        from jixiao.llm_cache import CallCache

        def cache() -> CallCache:  # made only when there is a model to log
            return CallCache(self.settings.cache_dir / "llm.sqlite")

        if (self.settings.llm_base_url or "").startswith(TEST_ENDPOINT):
            from jixiao.testing import TestModel

            return TestModel(label=f"test-model @ {TEST_ENDPOINT}", cache=cache())
        config = config_from(self.settings)
        if config is None:
            return None
        return LLM(config, cache=cache(), use_cache=self._use_model_cache)

    # --- reading and reviewing -----------------------------------------------------------

    def read(
        self, paths: Iterable[Path], progress: Callable[[Path], None] | None = None
    ) -> LoadResult:
        """Every table in the files and folders; a file that fails is reported, never fatal."""
        return load(paths, progress=progress)

    def review(
        self,
        source: Iterable[Path] | LoadResult | list[Table],
        progress: Callable[[Path], None] | None = None,
        use_model: bool = True,
        on_model_table: Callable[[Table], None] | None = None,
        show_untrusted: bool = False,
    ) -> ReviewResult:
        """The review of files, of what `read` returned, or of tables: rules, then the model's
        judgement (when there is a model) with the same context for every front end. The
        model's findings of codes it measured below the trust threshold on (`model_trust`) are
        left out and counted, unless `show_untrusted`."""
        from jixiao.model import Table
        from jixiao.review import add_model_judgement, review_label, review_loaded

        if isinstance(source, LoadResult):
            loaded = source
        elif isinstance(source, list) and all(isinstance(t, Table) for t in source):
            loaded = LoadResult(tables=list(source))
        else:
            loaded = self.read(source, progress)  # type: ignore[arg-type]
        result = review_loaded(loaded)
        model = self.model if use_model else None
        if model is not None and result.tables:
            from jixiao.model_trust import untrusted

            mode = self.settings.llm_review
            label = review_label(model.label, mode)
            low = {} if show_untrusted else untrusted(self.settings.home, label)
            add_model_judgement(result, model, self._context(), on_model_table, low, mode)
        return result

    def _context(self) -> Callable[[Table], tuple[str, str]] | None:
        try:
            self._open()
        except Exception as exc:  # the review goes on without context rather than not at all
            self.notes.append(f"资料库索引不可用，模型审阅不带参考资料（{type(exc).__name__}）。")
            return None
        return self.review_context

    def review_context(self, table: Table) -> tuple[str, str]:
        """What the model sees beside a table: policy passages and similar past tables, only
        those about the same work (the built-in notes on the form apply to every table); none
        rather than another subject's, which the model would quote."""
        from jixiao.policy import NOTES_SOURCE
        from jixiao.review_model import related_to

        query = f"{table.project} {table.purpose}"
        related = related_to(table)
        policy = [
            h
            for h in self.index.search(query, kind="policy", k=3)
            if h.meta.get("source") == NOTES_SOURCE or related(h.text)
        ]
        similar = [
            h
            for h in self.index.search(query, kind="table", k=4)
            if h.meta.get("table_id") != table.id and related(h.text)
        ][:2]
        return ("\n\n".join(h.text for h in policy), "\n\n".join(h.text for h in similar))

    # --- drafting --------------------------------------------------------------------------

    def draft_next(
        self, source: str | Path, year: int | None = None, budget: str | None = None
    ) -> list[Draft]:
        """Next year's draft of every table in a file, or of one library table by id (or id
        prefix); `budget` in 元 or with its unit (`120万元`), for a single table only."""
        from jixiao.draft import draft_next
        from jixiao.values import parse_amount

        amount = None
        if budget is not None:
            amount = parse_amount(str(budget))
            if not amount:
                raise UsageError(f"预算数“{budget}”不是金额；请写成 1200000 或 120万元")
        if year is not None and not 1990 <= year <= 2100:
            raise UsageError(f"年度 {year} 不合理；请写四位年份，如 2026")
        path = Path(source)
        if path.exists():
            loaded = self.read([path])
            if not loaded.tables:
                raise ReadError(str(path), "没有读到任何表；请用 `jixiao parse` 查看原因。")
            tables = loaded.tables
        elif path.suffix or "/" in str(source):
            raise NotFound(f"文件 {source} 不存在；请检查路径，或给出资料库中表的编号")
        else:
            tables = [self.table(str(source))]
        if amount is not None and len(tables) > 1:
            raise UsageError(
                f"{path} 中有 {len(tables)} 张表，--budget 只能用于一张表；请把表分开后逐张起草"
            )
        return [draft_next(t, year=year, budget=amount) for t in tables]

    def draft_new(self, brief: Brief, exclude: tuple[str, ...] = ()) -> Draft:
        """A new table from a brief: offline from the library's nearest rows, or by the model
        (checked, repaired, its invented figures marked) when one is configured. Tables in
        `exclude` are not used (leave-one-out evaluation)."""
        from jixiao.draft_new import draft_new

        if brief.like:
            brief = brief.model_copy(update={"like": self.table(brief.like).id})
        self.progress.stage("起草新表")
        model = self.model
        if model is not None:
            from jixiao.draft_model import draft_with_model

            draft, notes = draft_with_model(brief, self.index, self.library.get, model, exclude)
            self.notes += notes
            return draft
        return draft_new(brief, self.index, self.library.get, exclude)

    # --- the library ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        kind: str | None = None,
        unit: str | None = None,
        k: int = 10,
        mode: str = "fused",
    ) -> list[Hit]:
        """Tables, indicator rows and policy passages for `query`, each hit with its citation.

        `unit` is part of a unit's name, as users type it; no unit matching it is an error.
        """
        units = None
        if unit and kind == "policy":
            raise UsageError(
                "政策文件不属于某个单位：--unit 只用于表和指标（去掉 --unit 或 --kind policy）"
            )
        if self._index is None and mode != "lexical" and not self.settings.embed_url:
            from jixiao.embed import embed_query_early

            embed_query_early(query)  # while the index opens
        if unit:
            units = self.index.units(self.library, unit)
            if not units:
                raise NotFound(f"资料库中没有名称包含“{unit}”的单位")
        return self.index.search(query, kind=kind, units=units, k=k, mode=mode)

    def tables(self) -> list[Table]:
        return self.library.tables()

    def policies(self) -> list[PolicyDoc]:
        return self.library.policies()

    def table(self, table_id: str) -> Table:
        """One table by id or unique id prefix; NotFound when there is none."""
        table = self.library.get(table_id)
        if table is None:
            many = [i for i in self.library.ids() if i.startswith(table_id)]
            if len(many) > 1:
                raise NotFound(f"编号前缀 {table_id} 对应 {len(many)} 张表，请多写几位")
            raise NotFound(f"资料库中没有编号为 {table_id} 的表（见 `jixiao library list`）")
        return table

    def add(self, tables: list[Table]) -> tuple[list[Table], list[Table]]:
        """Add tables to the library and the index: (added, already there)."""
        index = self._opened_index()
        added: list[Table] = []
        present: list[Table] = []
        with index.making_vectors():  # an open meanwhile leaves the vectors to this add
            self.progress.stage(WRITE_STAGE, total=len(tables))
            for start in range(0, len(tables), ADD_CHUNK):
                # The lock is let go between chunks: a search gets in and finds what is in.
                with self.library.lock():
                    chunk: list[Table] = []
                    for table in tables[start : start + ADD_CHUNK]:  # one at a time, to count
                        new, old = self.library.add([table])
                        chunk += new
                        present += old
                        self.progress.advance()
                    index.add_tables(chunk)  # searchable by keyword from here on
                added += chunk
            index.catch_up(self.library, {t.id: t for t in added})  # vectors, outside the lock
        return added, present

    def remove(self, table_id: str) -> Table:
        """Remove a table from the library and the index."""
        index = self._opened_index()
        with self.library.lock():
            table = self.library.remove(table_id)
            if table is None:
                raise NotFound(f"资料库中没有编号为 {table_id} 的表（见 `jixiao library list`）")
            index.sync(self.library)
        return table

    def add_policies(self, files: Iterable[Path]) -> list[tuple[PolicyDoc | JixiaoError, bool]]:
        """Add policy documents: per file the document (and whether it was new) or why not."""
        from jixiao.policy import expand_policy_paths, read_policy

        outcomes: list[tuple[PolicyDoc | JixiaoError, bool]] = []
        index = self._opened_index()
        paths = expand_policy_paths(list(files))
        if not paths:
            raise UsageError("给出的文件夹里没有政策文件（.txt .md .docx .pdf）")
        with self.library.lock():
            self.progress.stage("读取政策文件", total=len(paths))
            for path in paths:
                try:
                    doc = read_policy(path)
                except ReadError as exc:
                    outcomes.append((exc, False))
                else:
                    outcomes.append((doc, self.library.add_policy(doc)))
                self.progress.advance()
            index.sync(self.library, embed=0)
        index.catch_up(self.library)
        return outcomes

    def policy(self, doc_id: str) -> PolicyDoc:
        """One policy document by id or unique id prefix; NotFound when there is none."""
        docs = [d for d in self.policies() if d.doc_id.startswith(doc_id)]
        exact = [d for d in docs if d.doc_id == doc_id]
        if exact or len(docs) == 1:
            return (exact or docs)[0]
        if docs:
            raise NotFound(f"编号前缀 {doc_id} 对应 {len(docs)} 份政策文件，请多写几位")
        raise NotFound(f"资料库中没有编号为 {doc_id} 的政策文件（见 `jixiao library list`）")

    def remove_policy(self, doc_id: str) -> PolicyDoc:
        """Remove a policy document (by id or unique prefix) from the library and the index."""
        index = self._opened_index()
        with self.library.lock():
            doc = self.policy(doc_id)
            self.library.remove_policy(doc.doc_id)
            index.sync(self.library)
        return doc

    def rebuild(self) -> str:
        """Rebuild the index from the library; says what it did."""
        return self._opened_index().rebuild(self.library)  # it takes the locks it needs

    # --- asking the library ------------------------------------------------------------------

    _chat_tools: dict[tuple, tuple[tuple, Tools]] | None = None  # per (unit, year) filter

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        unit: str | None = None,
        use_model: bool = True,
        year: int | None = None,
        on_step: Callable[[ToolRecord], None] | None = None,
    ) -> Answer:
        """An answer about the library: every figure copied from a table and cited (table and
        row, or policy passage), 资料库中没有… rather than a guess. `conversation` carries the
        project of a follow-up (它的时效指标呢？); `unit` keeps to units whose name contains it,
        `year` to tables of that budget year; `on_step` is told of each lookup as it is made.
        The model answers when one is configured and `use_model` (offline when it fails);
        `Answer.mode` says which did."""
        from jixiao.chat import ask

        tools = self.chat_tools(unit, year)
        return ask(tools, question, conversation, self.chat_model() if use_model else None, on_step)

    _chat_model: ChatModel | None = None

    def chat_model(self) -> ChatModel | None:
        """The model as the assistant's tool loop drives it (langchain), or None: offline."""
        model = self.model
        if model is None:
            return None
        with self._open_lock:
            if self._chat_model is None:
                from jixiao.llm_chat import chat_model

                self._chat_model = chat_model(model)
        return self._chat_model

    def as_retriever(
        self, kind: str | None = None, unit: str | None = None, k: int = 5
    ) -> LibraryRetriever:
        """The library's search as a langchain `BaseRetriever` (documents with their citations
        in `metadata`), for users' own chains."""
        from jixiao.langchain_retriever import LibraryRetriever

        units = self.index.units(self.library, unit) if unit else None
        if unit and not units:
            raise NotFound(f"资料库中没有名称包含“{unit}”的单位")
        return LibraryRetriever(retriever=self.index, kind=kind, units=units, k=k)

    def chat_tools(self, unit: str | None = None, year: int | None = None) -> Tools:
        """The assistant's tools over this library (or the tables of units whose name contains
        `unit` and of budget year `year`), made again only when the library changes."""
        from jixiao.chat import Tools
        from jixiao.policy import builtin_notes

        library = self.library
        policies = sorted(p.name for p in library.policy_dir.glob("*.json"))
        key = (frozenset(library.ids()), tuple(policies))
        cache = self._chat_tools if self._chat_tools is not None else {}
        scope = (unit, year)
        if scope in cache and cache[scope][0] == key:
            return cache[scope][1]
        try:
            index: Index | None = self.index
        except Exception as exc:  # answers from the tables go on without search
            self.notes.append(
                f"资料库索引不可用，问答不能检索政策和相近的内容（{type(exc).__name__}）。"
            )
            index = None
        tables, units = self.tables(), None
        if unit:
            units = (
                index.units(library, unit)
                if index
                else sorted({t.unit_name for t in tables if unit in t.unit_name})
            )
            if not units:
                raise NotFound(f"资料库中没有名称包含“{unit}”的单位")
            tables = [t for t in tables if t.unit_name in units]
        if year is not None:
            tables = [t for t in tables if t.year == year]
            if not tables:
                raise NotFound(
                    f"资料库中没有{year}年度的表" + (f"（单位含“{unit}”）" if unit else "")
                )
        chunks = builtin_notes() + [c for d in self.policies() for c in d.chunks]

        def rules(batch: list[Table]) -> list:
            return self.review(batch, use_model=False).findings

        tools = Tools(tables, chunks, retriever=index, reviewer=rules, units=units)
        self._chat_tools = {**cache, scope: (key, tools)}  # one assignment: readers see old or new
        return tools
