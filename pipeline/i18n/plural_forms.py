"""The Plural-Forms header, read as GNU gettext reads it, before anything compiles or evaluates it.

A catalog's header chooses, per number, which msgstr[i] a plural sentence
shows; gettext tools turn its `plural=` expression into code.  Python's
gettext does so by generating Python source, which it refuses only after
tokenising, and which fails with ValueError (a traceback for us) on a long or
deeply nested expression.  So the header is parsed here first, by hand,
against the grammar of GNU gettext's plural-exp.y: `nplurals=N; plural=EXPR;`
where EXPR is built from `n`, unsigned integer constants, unary `!`, the
binary operators `* / % + - < > <= >= == != && ||`, the ternary `?:` and
parentheses, with C's precedence.  Length and nesting are bounded, so neither
the parser nor the evaluator can exhaust the stack or the time of a build.

The parsed tree is evaluated here too, as GNU gettext evaluates it (unsigned
long arithmetic, 0/1 for comparisons and logic), to check that every n from 0
to 1000 chooses a form that exists (as `msgfmt --check` does), and that
Python's gettext, which the build uses, chooses the same form: it reads
`2 && 3` or `!n + 1` otherwise than C.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

MAX_LENGTH = 1000
MAX_DEPTH = 50
CHECKED_UP_TO = 1000
# GNU gettext computes in `unsigned long int`, 64 bits on the platforms we build on.
MASK = (1 << 64) - 1

BINARY_LEVELS = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}
SINGLE = set("n?:()*/%+-")
GRAMMAR = "n, whole numbers, parentheses and ! * / % + - < > <= >= == != && || ? :"


class PluralFormsError(ValueError):
    """A Plural-Forms value GNU gettext would not read, or that the build cannot use."""


@dataclass(frozen=True)
class Node:
    """One node of a parsed expression: `n`, a number, or an operator with its operands."""

    op: str
    args: tuple[Node, ...] = ()
    value: int = 0
    height: int = 1


@dataclass(frozen=True)
class PluralForms:
    nplurals: int
    expression: str
    tree: Node


def parse_plural_forms(value: str) -> PluralForms:
    """`nplurals=N; plural=EXPR;` parsed, or PluralFormsError saying what is wrong."""
    if len(value) > MAX_LENGTH:
        raise PluralFormsError(f"Plural-Forms is {len(value)} characters long; at most {MAX_LENGTH} are read")
    text = value.strip()
    head, separator, rest = text.partition(";")
    # GNU gettext looks for the literal "nplurals=" and "plural=", with no space before "=".
    if not head.startswith("nplurals=") or not separator:
        raise PluralFormsError('Plural-Forms should read "nplurals=N; plural=EXPRESSION;"')
    count = head[len("nplurals=") :].strip()
    if not count.isascii() or not count.isdigit():
        raise PluralFormsError(f"Plural-Forms: nplurals should be a whole number, not {_show(count)}")
    nplurals = int(count)
    if nplurals < 1:
        raise PluralFormsError("Plural-Forms: nplurals should be at least 1")
    rest = rest.lstrip()
    if not rest.startswith("plural="):
        raise PluralFormsError('Plural-Forms should read "nplurals=N; plural=EXPRESSION;"')
    expression, _, tail = rest[len("plural=") :].partition(";")
    if tail.strip():
        raise PluralFormsError(f"Plural-Forms: unexpected {_show(tail.strip())} after the plural expression")
    return PluralForms(nplurals, expression.strip(), parse_expression(expression))


def parse_expression(expression: str) -> Node:
    """The tree of a plural expression (what follows `plural=`), or PluralFormsError."""
    if len(expression) > MAX_LENGTH:
        raise PluralFormsError(
            f"Plural-Forms: the plural expression is {len(expression)} characters long; at most {MAX_LENGTH}"
        )
    return _Parser(_tokens(expression)).parse()


Token = tuple[str, int, int]
"""(kind, value of a number, character position counted from 1); kind "" ends the expression."""


def _tokens(expression: str) -> list[Token]:
    """The tokens of an expression as GNU gettext's scanner reads them."""
    tokens: list[Token] = []
    position = 0
    while position < len(expression):
        char = expression[position]
        start = position + 1
        if char in " \t":
            position += 1
        elif "0" <= char <= "9":
            end = position
            while end < len(expression) and "0" <= expression[end] <= "9":
                end += 1
            # strtoul-like accumulation in an unsigned long wraps around.
            tokens.append(("number", int(expression[position:end]) & MASK, start))
            position = end
        elif expression.startswith(("==", "!=", "<=", ">=", "&&", "||"), position):
            tokens.append((expression[position : position + 2], 0, start))
            position += 2
        elif char in SINGLE or char in "<>!":
            tokens.append((char, 0, start))
            position += 1
        else:
            raise PluralFormsError(
                f"Plural-Forms: the plural expression has {_show(char)} at character {start}; "
                f"GNU gettext reads {GRAMMAR}"
            )
    tokens.append(("", 0, len(expression) + 1))
    return tokens


class _Parser:
    """Precedence climbing over the tokens, with an explicit nesting counter."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def parse(self) -> Node:
        tree = self._ternary()
        self._expect("")
        return tree

    def _peek(self) -> str:
        return self.tokens[self.index][0]

    def _take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _expect(self, kind: str) -> None:
        found, _, position = self._take()
        if found != kind:
            wanted = "the end" if not kind else f'"{kind}"'
            raise PluralFormsError(
                f"Plural-Forms: the plural expression has {_describe(found)} at character {position} "
                f"where {wanted} should be"
            )

    def _enter(self) -> None:
        # Counted on the way down, so a hostile nesting is refused before it costs stack.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PluralFormsError(f"Plural-Forms: the plural expression nests deeper than {MAX_DEPTH} levels")

    def _ternary(self) -> Node:
        self._enter()
        condition = self._binary(1)
        if self._peek() == "?":
            self._take()
            if_true = self._ternary()
            self._expect(":")
            if_false = self._ternary()
            condition = _node("?:", condition, if_true, if_false)
        self.depth -= 1
        return condition

    def _binary(self, level: int) -> Node:
        left = self._unary()
        while self._peek() in BINARY_LEVELS and BINARY_LEVELS[self._peek()] >= level:
            operator = self._take()[0]
            self._enter()
            # One level up: operators of a level associate to the left, as in C.
            right = self._binary(BINARY_LEVELS[operator] + 1)
            self.depth -= 1
            left = _node(operator, left, right)
        return left

    def _unary(self) -> Node:
        kind, value, position = self._take()
        if kind == "!":
            self._enter()
            operand = self._unary()
            self.depth -= 1
            return _node("!", operand)
        if kind == "(":
            inner = self._ternary()
            self._expect(")")
            return inner
        if kind == "n":
            return Node("n")
        if kind == "number":
            return Node("number", value=value)
        raise PluralFormsError(
            f"Plural-Forms: the plural expression has {_describe(kind)} at character {position} "
            "where n, a number, ! or ( should be"
        )


def _node(op: str, *args: Node) -> Node:
    # A long flat chain ("0+0+...") nests the tree without nesting the parser.
    height = 1 + max(arg.height for arg in args)
    if height > MAX_DEPTH:
        raise PluralFormsError(f"Plural-Forms: the plural expression nests deeper than {MAX_DEPTH} levels")
    return Node(op, args, height=height)


def evaluate(tree: Node, n: int) -> int:
    """The form GNU gettext chooses for `n`; PluralFormsError where it would divide by zero."""
    op = tree.op
    if op == "n":
        return n & MASK
    if op == "number":
        return tree.value
    if op == "!":
        return int(not evaluate(tree.args[0], n))
    if op == "?:":
        condition, if_true, if_false = tree.args
        return evaluate(if_true, n) if evaluate(condition, n) else evaluate(if_false, n)
    left = evaluate(tree.args[0], n)
    # && and || do not evaluate their right side when the left decides, as in C.
    if op == "&&":
        return int(bool(left) and bool(evaluate(tree.args[1], n)))
    if op == "||":
        return int(bool(left) or bool(evaluate(tree.args[1], n)))
    right = evaluate(tree.args[1], n)
    if op in ("/", "%"):
        if right == 0:
            raise PluralFormsError(f"Plural-Forms: the plural expression divides by zero for n={n}")
        return left // right if op == "/" else left % right
    arithmetic = {"*": left * right, "+": left + right, "-": left - right}
    if op in arithmetic:
        return arithmetic[op] & MASK
    comparisons = {
        "<": left < right,
        ">": left > right,
        "<=": left <= right,
        ">=": left >= right,
        "==": left == right,
        "!=": left != right,
    }
    return int(comparisons[op])


def check_values(forms: PluralForms, up_to: int = CHECKED_UP_TO) -> None:
    """Every n from 0 to `up_to` chooses an existing form, the same in GNU's and Python's gettext."""
    last = forms.nplurals - 1
    for n in range(up_to + 1):
        form = evaluate(forms.tree, n)
        if form > last:
            raise PluralFormsError(
                f"Plural-Forms: the plural expression gives form {form} for n={n}; "
                f"nplurals={forms.nplurals} allows only 0 to {last}"
            )
    try:
        # Safe only now: the expression was read by the grammar above and is bounded.
        python = gettext.c2py(forms.expression)
    except ValueError as exc:
        raise PluralFormsError(
            f"Plural-Forms: Python's gettext, which the build uses, cannot read the plural expression ({exc})"
        ) from None
    for n in range(up_to + 1):
        gnu = evaluate(forms.tree, n)
        try:
            ours = python(n)
        except ArithmeticError:
            ours = None
        if ours != gnu:
            raise PluralFormsError(
                "Plural-Forms: Python's gettext, which the build uses, reads the plural expression otherwise "
                f"than GNU gettext: form {ours} for n={n}, GNU gettext gives {gnu}"
            )


def _show(text: str) -> str:
    """Part of a hostile header, shown without letting it reshape the line."""
    if len(text) == 1 and not (text.isascii() and text.isprintable()):
        return f"U+{ord(text):04X}"
    shown = "".join(char if char.isascii() and char.isprintable() else "?" for char in text[:20])
    return f'"{shown}…"' if len(text) > 20 else f'"{shown}"'


def _describe(kind: str) -> str:
    if not kind:
        return "its end"
    if kind == "number":
        return "a number"
    return f'"{kind}"'


def plural_forms_lines(header: str) -> list[tuple[int, int, str]]:
    """Each Plural-Forms line of a header: (offset of the line, offset of its end, its value).

    A line that follows without a "name:" or indented is read by gettext tools
    as part of the line before, so it is kept in the value, where the parser
    refuses it.
    """
    found: list[tuple[int, int, str]] = []
    offset = 0
    lines = header.split("\n")
    for index, line in enumerate(lines):
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == "plural-forms":
            end = offset + len(line)
            for following in lines[index + 1 :]:
                if not following or (":" in following and following[0] not in " \t"):
                    break
                value += "\n" + following
                end += 1 + len(following)
            found.append((offset, end, value))
        offset += len(line) + 1
    return found
