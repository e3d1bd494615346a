"""``Session``: the TensorFlow 1.x-style front end over ``compile``."""

import logging

from .compiler.frontend import compile as compile_graph
from .errors import FeedError
from .graph import get_default_graph
from .node import Node

logger = logging.getLogger(__name__)


class Updates(dict):
    """A mapping variable -> new-value node; as a ``Session.run`` fetch it applies the updates and gives None."""


class Session:
    """Run fetches of one graph with a feed_dict, caching one executable per (fetches, feeds) set."""

    def __init__(self, graph=None):
        self.graph = graph if graph is not None else get_default_graph()
        self._cache = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._cache.clear()

    def run(self, fetches, feed_dict=None):
        """Evaluate ``fetches`` (a Node, an Updates mapping, or a list, tuple or dict of them).

        Returns the same structure with arrays in place of nodes (None for Updates).
        ``feed_dict`` maps placeholders, or their names, to arrays.
        """
        nodes, updates = [], {}
        template = self._flatten(fetches, nodes, updates)
        feeds = self._resolve_feeds(feed_dict or {})
        placeholders = sorted(feeds, key=lambda node: node.data["index"])
        key = (tuple(node.name for node in nodes), tuple(node.name for node in placeholders), tuple((v.name, n.name) for v, n in updates.items()))
        executable = self._cache.get(key)
        if executable is None:
            executable = self._compile(placeholders, nodes, updates)
            self._cache[key] = executable
            logger.debug("Session: compiled fetches %s with feeds %s", key[0], key[1])
        values = executable(*[feeds[node] for node in placeholders])
        return self._rebuild(template, iter(values))

    @staticmethod
    def _compile(placeholders, nodes, updates):
        try:
            return compile_graph(placeholders, list(nodes), updates=updates)
        except FeedError as error:
            missing = getattr(error, "missing", None)
            if missing is None:
                raise
            raise FeedError(
                f"Session.run: the fetches need placeholders that feed_dict has no value for: {missing}\n"
                f"{error.details}\n  fix: add them to feed_dict, e.g. feed_dict={{{missing[0]!r}: array, ...}}"
            ) from None

    def _flatten(self, fetches, nodes, updates):
        """Collect fetched nodes into ``nodes`` and return a template of the structure."""
        if isinstance(fetches, Node):
            self._check_graph(fetches)
            nodes.append(fetches)
            return ("node",)
        if isinstance(fetches, Updates):
            for variable, value in fetches.items():
                self._check_graph(variable)
                updates[variable] = value
            return ("updates",)
        if isinstance(fetches, (list, tuple)):
            return (type(fetches), [self._flatten(item, nodes, updates) for item in fetches])
        if isinstance(fetches, dict):
            return (dict, {key: self._flatten(value, nodes, updates) for key, value in fetches.items()})
        raise TypeError(
            f"Session.run: cannot fetch {type(fetches).__name__} {fetches!r}; fetch Nodes, an optimizer's "
            "updates, or a list, tuple or dict of them"
        )

    def _rebuild(self, template, values):
        kind = template[0]
        if kind == "node":
            return next(values)
        if kind == "updates":
            return None
        if kind is dict:
            return {key: self._rebuild(item, values) for key, item in template[1].items()}
        items = [self._rebuild(item, values) for item in template[1]]
        if hasattr(kind, "_fields"):  # a named tuple, such as the result of max(x, dim)
            return kind(*items)
        return kind(items)

    def _check_graph(self, node):
        if node.graph is not self.graph:
            raise FeedError(
                f"Session.run: node {node.name!r} belongs to a different graph than this session's; "
                "create the Session with that node's graph (Session(node.graph))"
            )

    def _resolve_feeds(self, feed_dict):
        feeds = {}
        for key, value in feed_dict.items():
            node = self._feed_node(key)
            if node.kind != "placeholder":
                raise FeedError(
                    f"feed_dict: {node.describe()} is a {node.kind}, not a placeholder; only placeholders can be fed"
                )
            feeds[node] = value
        return feeds

    def _feed_node(self, key):
        if isinstance(key, Node):
            self._check_graph(key)
            return key
        if isinstance(key, str):
            name = key[:-2] if key.endswith(":0") else key
            if name in self.graph.nx:
                return self.graph.node(name)
            placeholders = [node.name for node in self.graph.placeholders()]
            raise FeedError(f"feed_dict: no node named {key!r} in the graph; placeholders are {placeholders}")
        raise FeedError(f"feed_dict keys must be placeholders or their names, got {type(key).__name__} {key!r}")
