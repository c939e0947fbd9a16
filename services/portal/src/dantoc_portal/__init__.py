"""The portal: the web application for officials (server-rendered, Vietnamese first)."""
