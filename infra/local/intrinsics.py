"""Resolve CloudFormation intrinsic functions against the resources the local cloud created.

The synthesized template names resources by ``Ref``/``Fn::GetAtt`` and builds ARNs and URLs with
``Fn::Join``/``Fn::Sub``. Locally every resource gets a moto ARN, so the same expressions resolve to
strings that point at the embedded AWS. Resources with no local meaning (CloudFront, API Gateway...)
resolve to stable placeholders instead of failing: nothing local reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = "123456789012"
PARTITION = "aws"
URL_SUFFIX = "amazonaws.com"
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


class UnresolvableError(ValueError):
    """An expression the local cloud cannot evaluate (an import from another stack, a condition)."""


@dataclass
class Physical:
    """What a created (or placeholder) resource answers to ``Ref`` and ``Fn::GetAtt``."""

    ref: str
    attrs: dict[str, str] = field(default_factory=dict)
    placeholder: bool = False


class Resolver:
    """Evaluates intrinsics given the physical resources known so far."""

    def __init__(self, template: dict[str, Any], stack_name: str, region: str) -> None:
        self.stack_name = stack_name
        self.region = region
        self.physical: dict[str, Physical] = {}
        self._parameters = {
            name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()
        }
        self._pseudo = {
            "AWS::Region": region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": PARTITION,
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:{PARTITION}:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/local",
            "AWS::URLSuffix": URL_SUFFIX,
        }

    def resolve(self, value: Any) -> Any:
        """Return ``value`` with every intrinsic replaced by its local value."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value if not _is_no_value(item)]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key.startswith("Fn::"):
                return self._function(key, arg)
        return {k: self.resolve(v) for k, v in value.items() if not _is_no_value(v)}

    def resolve_str(self, value: Any) -> str:
        """Resolve and insist on a string (names, ARNs, environment values)."""
        resolved = self.resolve(value)
        if isinstance(resolved, bool):
            return "true" if resolved else "false"
        if isinstance(resolved, int | float):
            return str(resolved)
        if not isinstance(resolved, str):
            raise UnresolvableError(f"expected a string, got {resolved!r}")
        return resolved

    def _ref(self, name: str) -> str:
        if name in self._pseudo:
            return self._pseudo[name]
        if name in self.physical:
            return self.physical[name].ref
        if name in self._parameters and self._parameters[name] is not None:
            return str(self._parameters[name])
        raise UnresolvableError(f"Ref to unknown or not yet created {name!r}")

    def _get_att(self, logical_id: str, attribute: str) -> str:
        physical = self.physical.get(logical_id)
        if physical is None:
            raise UnresolvableError(f"Fn::GetAtt on unknown or not yet created {logical_id!r}")
        if physical.placeholder:
            return f"local-{logical_id}-{attribute}"
        if attribute not in physical.attrs:
            raise UnresolvableError(f"{logical_id} has no local attribute {attribute!r}")
        return physical.attrs[attribute]

    def _function(self, name: str, arg: Any) -> Any:
        if name == "Fn::GetAtt":
            logical_id, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
            return self._get_att(logical_id, self.resolve_str(attribute))
        if name == "Fn::Join":
            separator, items = arg
            return separator.join(self.resolve_str(item) for item in self.resolve(items))
        if name == "Fn::Sub":
            return self._sub(arg)
        if name == "Fn::Select":
            index, items = arg
            return self.resolve(items)[int(self.resolve(index))]
        if name == "Fn::Split":
            separator, source = arg
            return self.resolve_str(source).split(separator)
        if name == "Fn::GetAZs":
            return [f"{self.region}{zone}" for zone in "abc"]
        raise UnresolvableError(f"{name} is not supported locally")

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else arg
        values = {key: self.resolve_str(val) for key, val in variables.items()}

        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token in values:
                return values[token]
            if "." in token:
                logical_id, attribute = token.split(".", 1)
                return self._get_att(logical_id, attribute)
            return self._ref(token)

        return _SUB_VAR.sub(replace, text).replace("${!", "${")


def _is_no_value(value: Any) -> bool:
    return isinstance(value, dict) and value == {"Ref": "AWS::NoValue"}


def references(value: Any) -> set[str]:
    """Logical ids that ``value`` refers to (for ordering resource creation)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif key == "Fn::GetAtt":
                found.add(arg.split(".", 1)[0] if isinstance(arg, str) else arg[0])
            elif key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                found |= {m.group(1).split(".", 1)[0] for m in _SUB_VAR.finditer(text)}
                if not isinstance(arg, str):
                    found |= references(arg[1])
            else:
                found |= references(arg)
    return {name for name in found if not name.startswith("AWS::")}
