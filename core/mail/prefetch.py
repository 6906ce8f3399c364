"""Fetching the next batches of headers in a thread while the current one is cached."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Final

from core.mail.source import FetchedMessage, FolderInfo, MailSource


class Prefetch:
    """Fetch the next batches in a thread while this one is parsed and written.

    Socket reads and SQLite writes release the GIL, so the two overlap. Only this thread
    uses the source while it runs (imapclient is not thread-safe); an error in it is
    raised where the batch would have been read.
    """

    _END: Final = object()

    def __init__(
        self, source: MailSource, info: FolderInfo, chunks: list[list[int]], ahead: int = 2
    ) -> None:
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
                self._put(list(self.source.fetch_headers(self.info, chunk)))
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

    def __enter__(self) -> Iterator[list[FetchedMessage]]:
        self.thread.start()
        return self._items()

    def _items(self) -> Iterator[list[FetchedMessage]]:
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
