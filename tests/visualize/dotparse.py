"""A small reader for the DOT subset that the drawings write, used to check DOT text structurally.

It tokenizes the text itself (quoted strings with escapes, identifiers and
punctuation) and rebuilds a ``networkx.MultiDiGraph``, so a test compares the
graph described by the text, not the text's layout. Cluster membership is
stored as the ``cluster`` attribute of each node.
"""

import re

import networkx as nx

TOKEN = re.compile(r'\s*(?:(?P<quoted>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<word>[A-Za-z0-9_.#-]+)|(?P<punct>[{}\[\];,=]))')


def tokenize(text: str) -> list[str]:
    tokens = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"unexpected DOT text at offset {position}: {text[position:position + 30]!r}")
        tokens.append(match.group(match.lastgroup))
        position = match.end()
    return tokens


def unquote(token: str) -> str:
    if not token.startswith('"'):
        return token
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), body)


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.index = 0
        self.graph = nx.MultiDiGraph()

    def peek(self, offset: int = 0) -> str | None:
        position = self.index + offset
        return self.tokens[position] if position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.index]
        if expected is not None and token != expected:
            raise ValueError(f"expected {expected!r} at token {self.index}, found {token!r}")
        self.index += 1
        return token

    def parse(self) -> nx.MultiDiGraph:
        self.take("digraph")
        self.graph.graph["name"] = unquote(self.take())
        self.statements(cluster=None)
        if self.peek() is not None:
            raise ValueError(f"text after the closing brace: {self.tokens[self.index:]}")
        return self.graph

    def statements(self, cluster: str | None) -> None:
        self.take("{")
        while self.peek() != "}":
            self.statement(cluster)
        self.take("}")

    def statement(self, cluster: str | None) -> None:
        token = self.peek()
        if token == "subgraph":
            self.take()
            name = unquote(self.take())
            self.graph.graph.setdefault("clusters", {})[name] = []
            self.statements(cluster=name)
        elif token in ("node", "edge", "graph"):
            self.take()
            self.attributes()
        elif self.peek(1) == "=":
            key = unquote(self.take())
            self.take("=")
            value = unquote(self.take())
            if cluster is None:
                self.graph.graph[key] = value
            else:
                self.graph.graph.setdefault("cluster_attributes", {}).setdefault(cluster, {})[key] = value
        else:
            self.node_or_edge(cluster)
        if self.peek() == ";":
            self.take()

    def node_or_edge(self, cluster: str | None) -> None:
        source = unquote(self.take())
        if self.peek() == "->":
            self.take()
            target = unquote(self.take())
            self.graph.add_edge(source, target, **self.attributes())
            return
        attributes = self.attributes()
        self.graph.add_node(source, **attributes)
        if cluster is not None:
            self.graph.nodes[source]["cluster"] = cluster
            self.graph.graph["clusters"][cluster].append(source)

    def attributes(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.peek() != "[":
            return found
        self.take("[")
        while self.peek() != "]":
            key = unquote(self.take())
            self.take("=")
            found[key] = unquote(self.take())
            if self.peek() == ",":
                self.take()
        self.take("]")
        return found


def parse_dot(text: str) -> nx.MultiDiGraph:
    """Return the graph that DOT ``text`` describes; node and edge attributes keep their unquoted values."""
    return _Parser(tokenize(text)).parse()
