"""Fetching (and parsing) the next batches of headers in a thread while one is cached."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Final, Generic, TypeVar

from core.mail.source import FetchedMessage, FolderInfo, MailSource

T = TypeVar("T")


class Prefetch(Generic[T]):
    """Fetch and prepare the next batches in a thread while this one is written.

    SQLite writes (and socket reads) release the GIL, so writing overlaps with fetching
    and parsing. Only this thread uses the source while it runs (imapclient is not
    thread-safe); an error in it is raised where the batch would have been read.
    """

    _END: Final = object()

    def __init__(
        self,
        source: MailSource,
        info: FolderInfo,
        chunks: list[list[int]],
        prepare: Callable[[FetchedMessage], T],
        ahead: int = 2,
    ) -> None:
        self.prepare = prepare
        self.source = source
        self.info = info
        self.chunks = chunks
        self.queue: queue.Queue[object] = queue.Queue(maxsize=ahead)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._produce, name="mailscope-fetch", daemon=True)

    def _produce(self) -> None:
        try:
            for chunk in self.chunks:
                if self.stop.is_set():
                    return
                fetched = self.source.fetch_headers(self.info, chunk)
                self._put([self.prepare(f) for f in fetched])
            self._put(self._END)
        except BaseException as error:  # handed to the consumer, raised there
            self._put(error)

    def _put(self, item: object) -> None:
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __enter__(self) -> Iterator[list[T]]:
        self.thread.start()
        return self._items()

    def _items(self) -> Iterator[list[T]]:
        while True:
            item = self.queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
